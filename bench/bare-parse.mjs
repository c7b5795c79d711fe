// The baseline of `npm run detect` measured as a whole process: a bare Node readline + JSON.parse
// loop over an NDJSON file (bench/detect.ts times it with /usr/bin/time).
import { createReadStream } from "node:fs";
import process from "node:process";
import { createInterface } from "node:readline";

let parsed = 0;
const lines = createInterface({
  input: createReadStream(process.argv[2], { highWaterMark: 1 << 20 }),
  crlfDelay: Infinity,
});
for await (const line of lines) {
  if (line) {
    JSON.parse(line);
    parsed++;
  }
}
process.stdout.write(`${parsed}\n`);
