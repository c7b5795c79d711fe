import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { getAlertDetail } from "@/lib/data/alert-detail";
import { closeDb, getDb } from "@/lib/db/client";
import { hostIdentity } from "@/lib/ecs/host-identity";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

const run = `hi-${process.pid}-${Date.now()}`;
const analyst: Actor = { id: `${run}-analyst`, role: "analyst", name: "Ana Host" };

// one machine seen twice: an uploaded file's Computer (FQDN) and an Agent document (short, lower-cased)
const fqdn = `WS-${run}.corp.example`.toUpperCase();
const short = `ws-${run}`;

function sysmon21(host: string, consumer: string, minute: number) {
  return {
    "@timestamp": new Date(Date.UTC(2033, 4, 1, 9, minute)).toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: host },
    winlog: {
      computer_name: host,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"${consumer}\\""`,
      },
    },
  };
}

beforeAll(async () => {
  await getDb().prisma.user.create({
    data: { id: analyst.id, name: analyst.name!, email: `${analyst.id}@test.local`, role: analyst.role },
  });
});

afterAll(async () => {
  await closeDb();
});

describe("host identity", () => {
  it("the stored host_key columns of event and alert are hostIdentity(host_name)", async () => {
    const names = ["IEWIN7.corp.local", "iewin7", "10.0.0.5", "fe80::1", "A.B", "plain", "WS-017.Example.ORG"];
    for (const table of ["event", "alert"]) {
      // the generated column's own expression, as PostgreSQL stores it, applied to each name
      const [{ expr }] = await getDb().prisma.$queryRawUnsafe<{ expr: string }[]>(
        `SELECT generation_expression AS expr FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'host_key'`,
        table,
      );
      expect(expr).toContain("host_name");
      const rows = await getDb().prisma.$queryRawUnsafe<{ name: string; key: string }[]>(
        `SELECT host_name AS name, ${expr} AS key FROM unnest($1::text[]) AS t(host_name)`,
        names,
      );
      expect(rows).toHaveLength(names.length);
      for (const r of rows) expect(r.key).toBe(hostIdentity(r.name));
    }
  });

  it("links an uploaded file's alert with an Agent document's alert of the same machine, and their timelines", async () => {
    const text = [
      sysmon21(fqdn, `${run}-a`, 0),
      sysmon21(short, `${run}-b`, 5),
      sysmon21(`other-${run}`, `${run}-c`, 6),
    ]
      .map((d) => JSON.stringify(d))
      .join("\n");
    await ingestStream({ source: "api", fileName: `${run}.ndjson`, stream: Readable.from([Buffer.from(text)]) });
    const alerts = await getDb().prisma.alert.findMany({
      where: { consumerName: { startsWith: run } },
      select: { id: true, hostName: true, consumerName: true, hostKey: true },
      orderBy: { consumerName: "asc" },
    });
    expect(alerts.map((a) => a.hostName)).toEqual([fqdn, short, `other-${run}`]);
    expect(alerts[0].hostKey).toBe(alerts[1].hostKey);

    const detail = await getAlertDetail(analyst, alerts[0].id, { windowMinutes: 10 });
    const related = detail.related.find((r) => r.id === alerts[1].id);
    expect(related?.matchedOn).toContain("host");
    expect(related?.hostName).toBe(short); // shown as each source wrote it
    expect(detail.related.some((r) => r.id === alerts[2].id)).toBe(false);
    // the Agent document's event is on the file alert's host timeline
    expect(detail.timeline).toHaveLength(2);
  });
});
