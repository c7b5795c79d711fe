import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { assignAlerts, setAlertsStatus } from "@/lib/data/alert-status";
import { getLiveState } from "@/lib/data/live";
import { closeDb, getDb } from "@/lib/db/client";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import { Readable } from "node:stream";

const run = `live${process.pid}x${Date.now()}`;
const ana: Actor = { id: `${run}-ana`, role: "analyst", name: "Ana Live" };
const lee: Actor = { id: `${run}-lee`, role: "lead", name: "Lee Live" };

function sysmon21() {
  return JSON.stringify({
    "@timestamp": "2030-06-01T00:00:00Z",
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: `${run}-h` },
    user: { name: "live-user" },
    winlog: {
      computer_name: `${run}-h`,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"${run}\\""`,
      },
    },
  });
}

beforeAll(async () => {
  for (const u of [ana, lee])
    await getDb().prisma.user.create({ data: { id: u.id, name: u.name!, email: `${u.id}@test.local`, role: u.role } });
});

afterAll(async () => {
  await getDb().prisma.event.deleteMany({ where: { hostName: { startsWith: run } } });
  await closeDb();
});

describe("getLiveState", () => {
  it("counts alerts raised since a moment, follows an alert's version and who changed it, and the unread count", async () => {
    const since = new Date(Date.now() - 1);
    const before = await getLiveState(ana, { since, alertId: null });
    await ingestStream({ source: "api", fileName: `${run}.ndjson`, stream: Readable.from([Buffer.from(sysmon21())]) });
    const after = await getLiveState(ana, { since, alertId: null });
    // other test files store alerts in the same database meanwhile: at least this one is counted
    expect(after.newAlerts - before.newAlerts).toBeGreaterThanOrEqual(1);
    expect((await getLiveState(ana, { since: new Date(Date.now() + 3_600_000), alertId: null })).newAlerts).toBe(0);

    const alert = await getDb().prisma.alert.findFirstOrThrow({ where: { hostName: `${run}-h` } });
    const fresh = await getLiveState(ana, { since: null, alertId: alert.id });
    expect(fresh.alert).toMatchObject({ id: alert.id, version: alert.version });

    await setAlertsStatus(lee, [{ id: alert.id, version: alert.version }], "acknowledged");
    const changed = await getLiveState(ana, { since: null, alertId: alert.id });
    expect(changed.alert).toMatchObject({ version: alert.version + 1, changedBy: "Lee Live", changedByMe: false });
    expect(changed.alert?.at).toBeTruthy();
    expect((await getLiveState(lee, { since: null, alertId: alert.id })).alert?.changedByMe).toBe(true);

    const unread = (await getLiveState(ana, { since: null, alertId: null })).unread;
    await assignAlerts(lee, [{ id: alert.id, version: alert.version + 1 }], ana.id);
    expect((await getLiveState(ana, { since: null, alertId: null })).unread).toBe(unread + 1);
  });
});
