import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const FIXTURE = "lib/eql/fixtures/detect-sample.ndjson";

// as `npm run detect` runs it: the compiled CLI (built by scripts/run-cli.mjs when stale)
function detect(...args: string[]) {
  const r = spawnSync(process.execPath, ["scripts/run-cli.mjs", "detect", ...args], {
    cwd: process.cwd(),
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("detect CLI", () => {
  it("prints one JSON object with the matching events' positions and branches", () => {
    const { code, stdout, stderr } = detect("--json", FIXTURE);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as {
      scanned: number;
      matches: { file: string; index: number; branch: string; explanation: { branchIndex: number } }[];
    };
    expect(out.scanned).toBe(4);
    expect(out.matches.map((m) => [m.file, m.index, m.explanation.branchIndex])).toEqual([
      [FIXTURE, 0, 0],
      [FIXTURE, 3, 1],
    ]);
    expect(out.matches[1].branch).toMatch(/^event\.dataset == "endpoint\.events\.api"/);
    expect(stderr).toMatch(/rejected record 2: .*invalid JSON/);
  }, 60_000);

  it("prints a table and summary, and exits 0 with no match", () => {
    const dir = mkdtempSync(join(tmpdir(), "detect-"));
    const file = join(dir, "none.ndjson");
    writeFileSync(file, '{"event":{"dataset":"windows.sysmon_operational","code":"21"}}\n');
    const none = detect(file);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^0 match\(es\) .* in 1 event\(s\)/m);
    const some = detect(FIXTURE);
    expect(some.stdout).toMatch(/WS02 .*#1 .*ActiveScriptEventConsumer/);
    expect(some.stdout).toMatch(/2 match\(es\)/);
  }, 60_000);

  it('compares numbers in keyword fields as written, as Elasticsearch indexes them (21 is "21", 21.0 is not)', () => {
    const dir = mkdtempSync(join(tmpdir(), "detect-"));
    const consumer = `"winlog":${JSON.stringify({ event_data: { Operation: "Created", Consumer: '\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name="x"' } })}`;
    const docs = ["21", "21.0", "2.1e1", '"21"', '"021"'].map(
      (code) =>
        `{"@timestamp":"2024-01-01T00:00:00Z","event":{"dataset":"windows.sysmon_operational","code":${code}},${consumer}}`,
    );
    const lines = join(dir, "codes.ndjson");
    writeFileSync(lines, `${docs.join("\n")}\n`);
    const array = join(dir, "codes.json");
    writeFileSync(array, `[\n${docs.join(",\n")}\n]\n`);
    for (const file of [lines, array]) {
      const { code, stdout } = detect("--json", file);
      expect(code).toBe(0);
      const out = JSON.parse(stdout) as { scanned: number; matches: { index: number }[] };
      expect(out.scanned).toBe(5);
      expect(out.matches.map((m) => m.index)).toEqual([0, 3]);
    }
  }, 60_000);

  it("fails clearly on a missing file while keeping stdout valid JSON", () => {
    const { code, stdout, stderr } = detect("--json", "no/such/file.ndjson");
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/cannot read 'no\/such\/file\.ndjson'/);
    expect(JSON.parse(stdout)).toEqual({ scanned: 0, matches: [] });
  }, 60_000);
});
