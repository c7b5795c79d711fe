/**
 * `npm run bench:detect-cli`: `npm run detect` measured as a whole process (/usr/bin/time: Node
 * start-up, loading the compiled CLI, reading, parsing and the rule) over BENCH_PROCESS_EVENTS
 * (default 300,000) generated events, against a bare Node readline + JSON.parse process over the
 * same file. Goal (issue 19): ratio >= 0.5.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureEventFile } from "./generate-events";

const ROOT = dirname(fileURLToPath(import.meta.url));

const PROCESS_EVENTS = Number(process.env.BENCH_PROCESS_EVENTS ?? 300_000);

/** Wall seconds and peak RSS of a whole process, by /usr/bin/time (as a user experiences it). */
function timeProcess(args: string[]): { seconds: number; maxRssMb: number; stdout: string } {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, ...args], {
    cwd: join(ROOT, ".."),
    encoding: "utf8",
    maxBuffer: 256 << 20,
  });
  if (r.status !== 0) throw new Error(`${args.join(" ")}: ${r.stderr}`);
  const [seconds, kb] = r.stderr.trim().split("\n").at(-1)!.split(" ").map(Number);
  return { seconds, maxRssMb: Math.round(kb / 1024), stdout: r.stdout };
}

/** Part (c): `npm run detect` as a whole process (start-up included) against a bare readline + JSON.parse process. */
async function main(): Promise<void> {
  const file = await ensureEventFile(PROCESS_EVENTS);
  // the first run builds the CLI when it is stale (once per source change); it is not what is measured
  const cold = timeProcess(["scripts/run-cli.mjs", "detect", "--json", file]);
  const bare: number[] = [];
  const cli: number[] = [];
  let rss = 0;
  let matches = 0;
  for (let i = 0; i < 3; i++) {
    bare.push(timeProcess([join(ROOT, "bare-parse.mjs"), file]).seconds);
    const run = timeProcess(["scripts/run-cli.mjs", "detect", "--json", file]);
    cli.push(run.seconds);
    rss = Math.max(rss, run.maxRssMb);
    matches = (JSON.parse(run.stdout) as { matches: unknown[] }).matches.length;
  }
  const ratio = Math.min(...bare) / Math.min(...cli);
  const metrics = {
    events: PROCESS_EVENTS,
    matches,
    bareProcessSeconds: Math.min(...bare),
    detectProcessSeconds: Math.min(...cli),
    detectFirstRunSeconds: cold.seconds,
    detectPeakRssMb: rss,
    ratio: Number(ratio.toFixed(3)),
    goal: 0.5,
    goalMet: ratio >= 0.5,
    loadAverage: loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
  };
  const markdown = [
    "# bench:detect-cli — `npm run detect` as a whole process",
    "",
    `Node ${process.version}, ${new Date().toISOString()}, load average ${metrics.loadAverage} (1, 5, 15 min) at the end.`,
    "",
    `${PROCESS_EVENTS.toLocaleString("en-US")} generated NDJSON events, \`/usr/bin/time\`, best of 3 (the CLI is compiled JavaScript, built by esbuild when stale).`,
    "",
    "| process | seconds | peak RSS |",
    "|---|---|---|",
    `| \`node bench/bare-parse.mjs\` (readline + JSON.parse) | ${metrics.bareProcessSeconds} | |`,
    `| \`npm run detect -- --json\` (${matches.toLocaleString("en-US")} matches) | ${metrics.detectProcessSeconds} | ${rss} MB |`,
    `| the same, first run after a source change (builds the CLI) | ${cold.seconds} | |`,
    "",
    `Ratio: **${metrics.ratio}** (goal >= 0.5: ${metrics.goalMet ? "met" : "NOT met"}).`,
  ].join("\n");
  mkdirSync(join(ROOT, "results"), { recursive: true });
  writeFileSync(
    join(ROOT, "results", "detect-cli.json"),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ...metrics }, null, 2)}\n`,
  );
  writeFileSync(join(ROOT, "results", "detect-cli.md"), `${markdown}\n`);
  process.stdout.write(`${markdown}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:detect-cli: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
