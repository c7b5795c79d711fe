/**
 * npm run bench:evtx — records/s of lib/evtx (parse + WinEvent) over every .evtx in
 * ../shared/datasets, against `evtxexport -f xml <file>` (libyal, libevtx-utils) spawned over
 * the same files in the same run. Writes bench/results/evtx.json and bench/results/evtx.md.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { listEvtxFiles, readEvtxFile } from "@/lib/evtx/node-file";

const DATASETS = path.resolve(process.cwd(), "../shared/datasets");
const RESULTS = path.resolve(process.cwd(), "bench/results");

interface Run {
  records: number;
  failed: number;
  seconds: number;
  recordsPerSecond: number;
}

async function runOurs(files: string[], renderXml: boolean): Promise<Run> {
  const t0 = performance.now();
  let records = 0;
  let failed = 0;
  for (const f of files)
    for await (const r of readEvtxFile(f, { renderXml })) {
      if (r.ok) records++;
      else failed++;
    }
  const seconds = (performance.now() - t0) / 1000;
  return { records, failed, seconds, recordsPerSecond: Math.round(records / seconds) };
}

/** Output is consumed (counted) but not kept, so the pipe does not throttle evtxexport. */
function runEvtxexport(file: string): Promise<{ records: number; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn("evtxexport", ["-f", "xml", file], { stdio: ["ignore", "pipe", "ignore"] });
    let records = 0;
    let tail = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (s: string) => {
      const text = tail + s;
      records += text.split("<Event ").length - 1;
      tail = text.slice(-8);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ records, code: code ?? -1 }));
  });
}

async function main(): Promise<void> {
  const files = await listEvtxFiles(DATASETS);
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  await runOurs(files.slice(0, 20), false); // warm up the JIT
  const ours = await runOurs(files, false);
  const oursWithXml = await runOurs(files, true);

  const hasEvtxexport = !spawnSync("evtxexport", ["-V"]).error;
  let theirs: (Run & { filesFailed: number }) | null = null;
  if (hasEvtxexport) {
    const t0 = performance.now();
    let records = 0;
    let filesFailed = 0;
    for (const f of files) {
      const r = await runEvtxexport(f);
      records += r.records;
      if (r.code !== 0) filesFailed++;
    }
    const seconds = (performance.now() - t0) / 1000;
    theirs = { records, failed: 0, filesFailed, seconds, recordsPerSecond: Math.round(records / seconds) };
  }

  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model ?? "cpu"} x${os.cpus().length}, node ${process.version}`,
    files: files.length,
    megabytes: +(bytes / 1e6).toFixed(1),
    ours,
    oursWithXml,
    evtxexport: theirs ?? "evtxexport not installed (apt-get install libevtx-utils): only our numbers are reported",
    ratio: theirs ? +(ours.recordsPerSecond / theirs.recordsPerSecond).toFixed(2) : null,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, "evtx.json"), `${JSON.stringify(result, null, 2)}\n`);
  const row = (name: string, r: Run) =>
    `| ${name} | ${r.records} | ${r.failed} | ${r.seconds.toFixed(2)} | ${r.recordsPerSecond} |`;
  const md = [
    "# EVTX reader benchmark",
    "",
    `${result.date} · ${result.machine} · ${files.length} files, ${result.megabytes} MB (../shared/datasets)`,
    "",
    "| reader | records | failed | seconds | records/s |",
    "|---|---:|---:|---:|---:|",
    row("lib/evtx (parse + WinEvent)", ours),
    row("lib/evtx (parse + WinEvent + XML)", oursWithXml),
    theirs ? row("evtxexport -f xml (one process per file)", theirs) : "| evtxexport | not installed | | | |",
    "",
    theirs
      ? `Ratio (ours / evtxexport, records/s): **${result.ratio}**. evtxexport failed on ${theirs.filesFailed} file(s) (the PowerLurk PowerShell log); its time includes process start-up per file.`
      : "evtxexport is not installed; only our numbers are reported.",
    "",
  ].join("\n");
  writeFileSync(path.join(RESULTS, "evtx.md"), md);
  console.log(md);
}

await main();
