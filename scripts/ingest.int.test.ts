import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { CURRENT_RULE } from "@/lib/rule/rules";

// `npm run ingest` as a user runs it: a child process, files from ../shared/datasets, --json output.
const datasets = path.resolve(process.cwd(), "../shared/datasets");
const botConsumerXml = path.join(
  datasets,
  "evtx-attack-samples/derived-xml/sysmon_20_21_1_CommandLineEventConsumer.evtx.xml",
);
const dir = mkdtempSync(path.join(tmpdir(), "ingest-cli-"));

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (onServer) await closeDb();
});

interface CliOutput {
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  alerts: number;
  errors: Array<{ file: string; line?: number; reason: string }>;
  files: Array<{ file: string; status: string; format: string | null; received: number; stored: number }>;
}

function ingest(env: NodeJS.ProcessEnv, ...args: string[]) {
  const r = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/ingest.ts", "--json", ...args],
    {
      cwd: process.cwd(),
      env,
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  return { code: r.status, out: r.stdout ? (JSON.parse(r.stdout) as CliOutput) : null, stderr: r.stderr };
}

// When the tests themselves run on the embedded database, its one connection is theirs: the CLI
// cannot share it (and would take it for a server that speaks COPY). Its embedded mode is the
// last test here, on a database of its own.
const onServer = process.env.WMI_EMBEDDED !== "1";

describe("npm run ingest", () => {
  const unique = `${process.pid}-${Date.now()}`;
  const damaged = path.join(dir, "damaged.ndjson");
  writeFileSync(
    damaged,
    [
      JSON.stringify({ "@timestamp": "2024-03-01T00:00:00Z", event: { code: "1" }, message: `${unique}-a` }),
      '{"@timestamp": "2024-03-01T00:00:00Z", "event": {',
      JSON.stringify({ "@timestamp": "2024-03-01T00:00:01Z", event: { code: "1" }, message: `${unique}-b` }),
    ].join("\n"),
  );

  it.runIf(onServer)(
    "stores a real file once, keeps good lines of a damaged one and names the bad line",
    () => {
      const first = ingest(process.env, botConsumerXml, damaged);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(first.out!.files.map((f) => [f.format, f.received])).toEqual([
        ["windows-xml", 17],
        ["ecs-ndjson", 3],
      ]);
      expect(first.out!.files[1].stored).toBe(2);
      expect(first.out!.errors).toEqual([expect.objectContaining({ file: damaged, line: 2 })]);

      const again = ingest(process.env, botConsumerXml);
      expect(again.out).toMatchObject({ received: 17, stored: 0, duplicates: 17 });
    },
    120_000,
  );

  it.runIf(onServer)(
    "exits 1 and names the file when it cannot be read",
    () => {
      const garbage = path.join(dir, "garbage.bin");
      writeFileSync(garbage, Buffer.from([0, 1, 2, 3, 255, 254, 0, 7, 9]));
      const result = ingest(process.env, garbage);
      expect(result.code).toBe(1);
      expect(result.out!.files[0]).toMatchObject({ status: "failed", stored: 0 });
      expect(result.out!.errors[0].reason).toMatch(/garbage\.bin/);
    },
    120_000,
  );

  it.runIf(onServer)(
    "stores the events and creates no alert while the rule is disabled, and says so",
    async () => {
      const file = path.join(dir, "disabled.ndjson");
      writeFileSync(
        file,
        JSON.stringify({
          "@timestamp": new Date().toISOString(),
          event: { code: "21", dataset: "windows.sysmon_operational" },
          host: { name: `CLI-OFF-${unique}` },
          winlog: {
            computer_name: `CLI-OFF-${unique}`,
            event_data: {
              Operation: "Created",
              Consumer: `"\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"cli-off-${unique}\\""`,
            },
          },
        }),
      );
      const { prisma } = getDb();
      const setEnabled = (enabled: boolean) =>
        prisma.ruleState.upsert({
          where: { ruleId: CURRENT_RULE.ruleId },
          create: { ruleId: CURRENT_RULE.ruleId, enabled },
          update: { enabled },
        });
      await setEnabled(false);
      try {
        const off = ingest(process.env, file);
        expect(off.code).toBe(0);
        expect(off.out).toMatchObject({ stored: 1, alerts: 0, ruleDisabled: true });
        expect(off.stderr).toBe("");
        const text = spawnSync(
          process.execPath,
          ["--conditions=react-server", "--import", "tsx", "scripts/ingest.ts", file],
          { cwd: process.cwd(), env: process.env, encoding: "utf8", timeout: 120_000 },
        );
        expect(text.stdout).toContain("rule disabled: events stored, no detection");
      } finally {
        await setEnabled(true);
      }
      expect(await prisma.alert.count({ where: { hostName: `CLI-OFF-${unique}` } })).toBe(0);
    },
    240_000,
  );

  it("without DATABASE_URL stores into the embedded database", () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      WMI_DATA_DIR: path.join(dir, "embedded"),
      EMBEDDED_PG_PORT: "54399",
    };
    delete env.DATABASE_URL;
    const first = ingest(env, botConsumerXml);
    expect(first.code).toBe(0);
    expect(first.out).toMatchObject({ received: 17, stored: 17 });
    const again = ingest(env, botConsumerXml);
    expect(again.out).toMatchObject({ received: 17, stored: 0, duplicates: 17 });
  }, 240_000);
});
