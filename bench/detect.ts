/**
 * `npm run bench:detect`: how fast the rule runs.
 * Part (a): offline scan (read NDJSON lines + JSON.parse + evaluate) vs a bare
 * JSON.parse line loop over the same file; goal: ratio >= 0.5.
 * Part (b): the rule compiled to SQL over >= 1M stored events (bench/detect-sql.ts).
 */
import { createReadStream, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { compileMatcher } from "@/lib/eql/evaluate";
import { parseEql } from "@/lib/eql/parser";
import { readEventFile } from "@/lib/ingest/read-file";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { benchSqlScan } from "./detect-sql";
import type { BenchSection } from "./section";
import { ensureEventFile } from "./generate-events";

const ROOT = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(ROOT, "results");
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
let DATA_FILE = "";

async function scanLines(onLine: (line: string) => void): Promise<number> {
  const start = process.hrtime.bigint();
  const lines = createInterface({
    input: createReadStream(DATA_FILE, { highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  for await (const line of lines) if (line) onLine(line);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function benchOfflineScan(): Promise<BenchSection> {
  DATA_FILE = await ensureEventFile(EVENTS);
  const matcher = compileMatcher(parseEql(CURRENT_RULE.query));
  let parsed = 0;
  let matched = 0;
  // warm-up, then best of 3 for each loop
  const bare = async () =>
    scanLines((l) => {
      JSON.parse(l);
      parsed++;
    });
  const full = async () =>
    scanLines((l) => {
      if (matcher(JSON.parse(l) as Record<string, unknown>)) matched++;
    });
  // what `npm run detect` runs: the ingest reader (decoding, line splitting, parse, record
  // checks, numbers as written) and the rule, minus process start-up and printing
  let cliMatched = 0;
  const cli = async () => {
    const start = process.hrtime.bigint();
    for await (const record of readEventFile(DATA_FILE, { numbersAsWritten: true }))
      if (record.ok && matcher(record.document)) cliMatched++;
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  await bare();
  const bareTimes: number[] = [];
  const fullTimes: number[] = [];
  const cliTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    parsed = 0;
    bareTimes.push(await bare());
    matched = 0;
    fullTimes.push(await full());
    cliMatched = 0;
    cliTimes.push(await cli());
  }
  if (cliMatched !== matched) throw new Error(`the detect path matched ${cliMatched} events, the bare loop ${matched}`);
  const bareRate = parsed / Math.min(...bareTimes);
  const fullRate = parsed / Math.min(...fullTimes);
  const cliRate = parsed / Math.min(...cliTimes);
  const ratio = cliRate / bareRate;
  const metrics = {
    events: parsed,
    fileBytes: statSync(DATA_FILE).size,
    matched,
    bareJsonParseEventsPerSec: Math.round(bareRate),
    scanEventsPerSec: Math.round(fullRate),
    detectEventsPerSec: Math.round(cliRate),
    ratio: Number(ratio.toFixed(3)),
    goal: 0.5,
    goalMet: ratio >= 0.5,
  };
  const markdown = [
    "## (a) Offline scan",
    "",
    `${parsed.toLocaleString("en-US")} generated NDJSON events (${(metrics.fileBytes / 1e6).toFixed(0)} MB, ${matched.toLocaleString("en-US")} matching), best of 3 runs.`,
    "",
    "| loop | events/s |",
    "|---|---|",
    `| read lines + JSON.parse | ${metrics.bareJsonParseEventsPerSec.toLocaleString("en-US")} |`,
    `| read lines + JSON.parse + rule | ${metrics.scanEventsPerSec.toLocaleString("en-US")} |`,
    `| \`npm run detect\`'s path: the ingest reader (decode, split, parse, record checks) + rule | ${metrics.detectEventsPerSec.toLocaleString("en-US")} |`,
    "",
    `Ratio of \`npm run detect\`'s path to the bare loop: **${metrics.ratio}** (goal >= 0.5: ${metrics.goalMet ? "met" : "NOT met"}).`,
  ].join("\n");
  return { name: "offlineScan", metrics, markdown };
}

/** Sections run in order; part (b) adds `{ name: "sqlScan", run: benchSqlScan }`. */
const PARTS: { name: string; run: () => Promise<BenchSection> }[] = [
  { name: "offlineScan", run: benchOfflineScan },
  { name: "sqlScan", run: () => benchSqlScan(EVENTS) },
];

async function main(): Promise<void> {
  const sections: BenchSection[] = [];
  for (const part of PARTS) {
    const section = await part.run();
    sections.push(section);
    process.stdout.write(`${section.markdown}\n\n`);
  }
  mkdirSync(RESULTS, { recursive: true });
  const meta = {
    rule: `${CURRENT_RULE.name} v${CURRENT_RULE.version}`,
    node: process.version,
    date: new Date().toISOString(),
  };
  writeFileSync(
    join(RESULTS, "detect.json"),
    `${JSON.stringify({ ...meta, ...Object.fromEntries(sections.map((s) => [s.name, s.metrics])) }, null, 2)}\n`,
  );
  writeFileSync(
    join(RESULTS, "detect.md"),
    `# bench:detect\n\n${meta.rule}, Node ${meta.node}, ${meta.date}\n\n${sections.map((s) => s.markdown).join("\n\n")}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:detect: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
