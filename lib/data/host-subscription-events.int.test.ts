import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  loadHostSubscriptionEvents,
  loadSubscriptionEventsForAlerts,
  type SubscriptionEventsRequest,
} from "@/lib/data/host-subscription-events";
import { closeDb, getDb } from "@/lib/db/client";
import type { EcsDocument } from "@/lib/ecs/document";
import { hostIdentity } from "@/lib/ecs/host-identity";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

const run = `hse-${process.pid}-${Date.now()}`;
const hosts = [`A-${run}`, `B-${run}`];

function sysmon(host: string, code: 19 | 20 | 21, minute: number, data: Record<string, string>) {
  return {
    "@timestamp": new Date(Date.UTC(2034, 1, 1, 9, minute)).toISOString(),
    event: { code: String(code), dataset: "windows.sysmon_operational" },
    host: { name: host },
    winlog: { computer_name: host, event_id: String(code), event_data: { Operation: "Created", ...data } },
  };
}

/** A subscription's three events on `host`, `minute` on, the 21 last (the alert's event). */
function subscription(host: string, consumer: string, filter: string, minute: number) {
  return [
    sysmon(host, 19, minute, { Name: `"${filter}"`, Query: '"SELECT * FROM __InstanceModificationEvent"' }),
    sysmon(host, 20, minute + 1, { Name: `"${consumer}"`, Destination: '"cmd.exe /c calc.exe"' }),
    sysmon(host, 21, minute + 2, {
      Consumer: ` "CommandLineEventConsumer.Name=\\"${consumer}\\""`,
      Filter: ` "__EventFilter.Name=\\"${filter}\\""`,
    }),
  ];
}

const docs = [
  ...subscription(hosts[0], `${run}-updater`, `${run}-boot`, 0),
  // a decoy differing only by a no-break space and case: a near-match, read with the alert's events
  ...subscription(hosts[0], `${run}-UP\u00a0DATER`, `${run}-decoy-filter`, 10),
  ...subscription(hosts[0], `${run}-other`, `${run}-other-filter`, 20),
  // names too short to narrow by: every subscription event of the host
  ...subscription(hosts[0], "ab", "cd", 30),
  ...subscription(hosts[1], `${run}-updater`, `${run}-boot`, 40),
  ...subscription(hosts[1], `${run}-second`, `${run}-second-filter`, 50),
];

let requests: SubscriptionEventsRequest[];

beforeAll(async () => {
  const text = docs.map((d) => JSON.stringify(d)).join("\n");
  await ingestStream({ source: "api", fileName: `${run}.ndjson`, stream: Readable.from([Buffer.from(text)]) });
  const stored = await getDb().prisma.event.findMany({
    where: { hostName: { in: hosts }, eventCode: "21" },
    orderBy: [{ timestamp: "asc" }],
    select: { doc: true, hostName: true },
  });
  expect(stored).toHaveLength(6);
  requests = stored.map((e) => ({ hostKey: hostIdentity(e.hostName)!, alertDoc: e.doc as EcsDocument }));
});

afterAll(async () => {
  await closeDb();
});

const minutes = (events: EcsDocument[]) => events.map((e) => new Date(String(e["@timestamp"])).getUTCMinutes());

describe("host subscription events for a batch of alerts", () => {
  it("gives each alert its host's events for its names (near-matches included), oldest first", async () => {
    const batch = await loadSubscriptionEventsForAlerts(requests);
    // host A, updater: its own three and the decoy's 20 and 21 (the decoy's filter name differs)
    expect(minutes(batch[0])).toEqual([0, 1, 2, 11, 12]);
    // the decoy alert: its own events and the look-alike's consumer events (not its filter's 19)
    expect(minutes(batch[1])).toEqual([1, 2, 10, 11, 12]);
    expect(minutes(batch[2])).toEqual([20, 21, 22]);
    // short names: the host's subscription events, whatever they mention
    expect(minutes(batch[3])).toEqual([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32]);
    // host B's updater sees host B only
    expect(minutes(batch[4])).toEqual([40, 41, 42]);
    expect(minutes(batch[5])).toEqual([50, 51, 52]);
  });

  it("gives each alert exactly what it is given alone, in any order and with repeats", async () => {
    const shuffled = [requests[4], requests[1], requests[1], requests[3], requests[0], requests[5], requests[2]];
    const batch = await loadSubscriptionEventsForAlerts(shuffled);
    for (const [i, request] of shuffled.entries()) {
      expect(batch[i]).toEqual(await loadHostSubscriptionEvents(request.hostKey, request.alertDoc));
    }
    expect(await loadSubscriptionEventsForAlerts([])).toEqual([]);
  });
});

describe("names with regular-expression characters", () => {
  it("reads a name's events literally: its '.' is no wildcard", async () => {
    const host = `C-${run}`;
    const text = [
      ...subscription(host, `${run}.dot`, `${run}.dotfilter`, 0),
      // would match `${run}.dot` if the '.' were a wildcard
      ...subscription(host, `${run}xdot`, `${run}xdotfilter`, 10),
    ]
      .map((d) => JSON.stringify(d))
      .join("\n");
    await ingestStream({ source: "api", fileName: `${run}-c.ndjson`, stream: Readable.from([Buffer.from(text)]) });
    const stored = await getDb().prisma.event.findMany({
      where: { hostName: host, eventCode: "21" },
      orderBy: [{ timestamp: "asc" }],
      select: { doc: true },
    });
    const batch = await loadSubscriptionEventsForAlerts(
      stored.map((e) => ({ hostKey: hostIdentity(host)!, alertDoc: e.doc as EcsDocument })),
    );
    expect(batch.map(minutes)).toEqual([
      [0, 1, 2],
      [10, 11, 12],
    ]);
  });
});
