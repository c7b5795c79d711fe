import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/data/api-tokens";
import { createSource, listSources, updateSource } from "@/lib/data/sources";
import { closeDb, getDb } from "@/lib/db/client";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { runIngestDetection, waitForIngestDetection } from "@/lib/services/ingest-sweep";
import { ingestBulk } from "@/lib/services/es-bulk";
import { pollDueSources, pollSource, testSourceConnection, type PollTuning } from "@/lib/services/poller";
import type { SourceInput } from "@/lib/sources/source-input";

process.env.BETTER_AUTH_SECRET ??= "test-secret-for-the-poller-integration-tests-0123456789";

// ---------------------------------------------------------------- a fake cluster
// Speaks the subset of the Elasticsearch API the poller uses, with the response shapes of
// Elastic's API reference: GET /, POST /<index>/_pit, DELETE /_pit, POST [/<index>]/_search with
// pit/search_after/sort, POST /<index>/_eql/search, and errors as { error: { type, reason }, status }.

interface Doc {
  _index: string;
  _id: string;
  _source: Record<string, unknown>;
}
interface Injected {
  match: RegExp;
  status: number;
  headers?: Record<string, string>;
  /** drop the connection instead of answering */
  hangUp?: boolean;
}

class FakeCluster {
  docs: Doc[] = [];
  pitSupported = true;
  injected: Injected[] = [];
  requests: string[] = [];
  /** after this many _search requests, the server goes down (a restart mid-poll) */
  private dieAfterSearches: number | null = null;
  private searches = 0;
  /** serve `n` more searches, then go down (a restart mid-poll) */
  dieAfter(n: number) {
    this.searches = 0;
    this.dieAfterSearches = n;
  }
  private server: Server | null = null;
  port = 0;
  private pits = new Map<string, string>();

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { "content-type": "application/json", "x-elastic-product": "Elasticsearch", ...headers });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    const url = new URL(req.url ?? "/", "http://x");
    const line = `${req.method} ${url.pathname}`;
    this.requests.push(line);
    const inj = this.injected.findIndex((i) => i.match.test(line));
    if (inj !== -1) {
      const [i] = this.injected.splice(inj, 1);
      if (i.hangUp) return req.socket.destroy();
      return this.send(
        res,
        i.status,
        {
          error: {
            root_cause: [],
            type: i.status === 429 ? "es_rejected_execution_exception" : "unavailable",
            reason: `injected ${i.status}`,
          },
          status: i.status,
        },
        i.headers,
      );
    }
    if (req.method === "GET" && url.pathname === "/") {
      return this.send(res, 200, {
        name: "node-1",
        cluster_name: "fake-cluster",
        cluster_uuid: "abc",
        version: { number: "8.15.0", build_flavor: "default" },
        tagline: "You Know, for Search",
      });
    }
    const pit = url.pathname.match(/^\/([^/]+)\/_pit$/);
    if (pit && req.method === "POST") {
      if (!this.pitSupported)
        return this.send(res, 400, {
          error: {
            type: "illegal_argument_exception",
            reason: `no handler found for uri [${url.pathname}] and method [POST]`,
          },
          status: 400,
        });
      const id = `pit-${this.pits.size + 1}`;
      this.pits.set(id, decodeURIComponent(pit[1]));
      return this.send(res, 200, { id });
    }
    if (url.pathname === "/_pit" && req.method === "DELETE")
      return this.send(res, 200, { succeeded: true, num_freed: 1 });
    const search = url.pathname.match(/^(?:\/([^/]+))?\/_search$/);
    if (search) {
      this.searches++;
      if (this.dieAfterSearches !== null && this.searches > this.dieAfterSearches) {
        this.dieAfterSearches = null;
        req.socket.destroy();
        void this.stop();
        return;
      }
      const index = body.pit ? this.pits.get(body.pit.id) : decodeURIComponent(search[1] ?? "*");
      if (!index)
        return this.send(res, 404, {
          error: { type: "search_context_missing_exception", reason: "No search context found" },
          status: 404,
        });
      return this.send(res, 200, this.search(index, body));
    }
    const eql = url.pathname.match(/^\/([^/]+)\/_eql\/search$/);
    if (eql) {
      const events = this.inIndex(decodeURIComponent(eql[1]))
        .filter((d) => matchesQuery(d._source, body.filter) && isRuleMatch(d._source))
        .sort(byTimeThenId)
        .slice(0, body.size ?? 10);
      return this.send(res, 200, {
        is_partial: false,
        is_running: false,
        took: 1,
        timed_out: false,
        hits: { total: { value: events.length, relation: "eq" }, events },
      });
    }
    return this.send(res, 404, { error: { type: "resource_not_found_exception", reason: line }, status: 404 });
  }

  private inIndex(patterns: string) {
    const res = patterns
      .split(",")
      .map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`));
    return this.docs.filter((d) => res.some((r) => r.test(d._index)));
  }

  private search(
    index: string,
    body: {
      query?: unknown;
      size?: number;
      sort?: Array<Record<string, unknown>>;
      search_after?: unknown[];
      pit?: { id: string };
    },
  ) {
    const tiebreak = Object.keys(body.sort?.[1] ?? {})[0];
    const keyed = this.inIndex(index)
      .filter((d) => matchesQuery(d._source, body.query))
      .map((d) => ({
        d,
        sort: [
          Date.parse(String(get(d._source, "@timestamp"))),
          tiebreak === "_shard_doc" ? this.docs.indexOf(d) : d._id,
        ] as [number, number | string],
      }))
      .sort((a, b) => compare(a.sort, b.sort));
    const after = body.search_after as [number, number | string] | undefined;
    const page = keyed.filter((k) => !after || compare(k.sort, after) > 0).slice(0, body.size ?? 10);
    return {
      took: 1,
      timed_out: false,
      ...(body.pit ? { pit_id: body.pit.id } : {}),
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: {
        max_score: null,
        hits: page.map((k) => ({ _index: k.d._index, _id: k.d._id, _score: null, _source: k.d._source, sort: k.sort })),
      },
    };
  }
}

const compare = (a: [number, number | string], b: [number, number | string]) =>
  a[0] !== b[0] ? a[0] - b[0] : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
const byTimeThenId = (a: Doc, b: Doc) =>
  compare(
    [Date.parse(String(get(a._source, "@timestamp"))), a._id],
    [Date.parse(String(get(b._source, "@timestamp"))), b._id],
  );

function get(doc: Record<string, unknown>, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), doc);
}

// a tiny Query DSL interpreter: bool (filter/must/should/must_not), range, exists, term
function matchesQuery(doc: Record<string, unknown>, q: unknown): boolean {
  if (!q || typeof q !== "object") return true;
  const query = q as Record<string, Record<string, unknown>>;
  if (query.bool) {
    const b = query.bool as {
      filter?: unknown[];
      must?: unknown[];
      should?: unknown[];
      must_not?: unknown[];
      minimum_should_match?: number;
    };
    const all = [...(b.filter ?? []), ...(b.must ?? [])].every((c) => matchesQuery(doc, c));
    const none = (b.must_not ?? []).every((c) => !matchesQuery(doc, c));
    const should = b.should?.length
      ? b.should.filter((c) => matchesQuery(doc, c)).length >= (b.minimum_should_match ?? 1)
      : true;
    return all && none && should;
  }
  if (query.range) {
    const [field, r] = Object.entries(query.range)[0] as [string, { gte?: string; lte?: string }];
    const v = get(doc, field);
    if (v === undefined) return false;
    const t = Date.parse(String(v));
    return (!r.gte || t >= Date.parse(r.gte)) && (!r.lte || t <= Date.parse(r.lte));
  }
  if (query.exists) return get(doc, String(query.exists.field)) !== undefined;
  if (query.term) {
    const [field, value] = Object.entries(query.term)[0];
    return get(doc, field) === value;
  }
  throw new Error(`fake cluster: unsupported query ${JSON.stringify(q)}`);
}

// what the rule's first branch matches (the fake cluster's stand-in for running EQL)
function isRuleMatch(doc: Record<string, unknown>): boolean {
  return (
    get(doc, "event.code") === "21" &&
    /subscription:(CommandLine|ActiveScript)EventConsumer/i.test(String(get(doc, "winlog.event_data.Consumer") ?? ""))
  );
}

// ---------------------------------------------------------------- fixtures

const run = `${process.pid}-${Date.now()}`;
const admin = { id: `poller-admin-${run}`, role: "admin", name: "Ada Admin" };
const other = { id: `poller-admin2-${run}`, role: "admin", name: "Otto Other" };
const NOW = new Date("2031-03-01T12:00:00.000Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
const sleeps: number[] = [];
const tuning: Partial<PollTuning> = {
  pageSize: 50,
  requestTimeoutMs: 2000,
  maxAttempts: 3,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
  window: { overlapMs: 2 * 60_000, initialLookbackMs: 6 * 60 * 60_000, maxWindowMs: 60 * 60_000 },
};

function sysmonDoc(
  host: string,
  minutes: number,
  code: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    "@timestamp": minutesAgo(minutes),
    event: { code, dataset: "windows.sysmon_operational", ingested: minutesAgo(minutes - 0.01) },
    host: { name: host },
    user: { name: "SYSTEM" },
    winlog: { computer_name: host, channel: "Microsoft-Windows-Sysmon/Operational", event_data: extra },
    ...(code === "1" ? { process: { command_line: "cmd.exe /c whoami" } } : {}),
  };
}

function subscriptionDoc(host: string, minutes: number, consumer: string): Record<string, unknown> {
  return sysmonDoc(host, minutes, "21", {
    Operation: "Created",
    Consumer: ` "\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"${consumer}\\""`,
    Filter: ` "\\\\.\\ROOT\\subscription:__EventFilter.Name=\\"${consumer}\\""`,
  });
}

function fillCluster(cluster: FakeCluster, tag: string, count: number, fromMinutes: number, padding = 0) {
  for (let i = 0; i < count; i++) {
    const source = sysmonDoc(`HOST-${tag}`, fromMinutes - i * 0.05, "1");
    if (padding) source.message = "x".repeat(padding);
    cluster.docs.push({ _index: "logs-windows.sysmon_operational-default", _id: `${tag}-${i}`, _source: source });
  }
}

async function newSource(cluster: FakeCluster, name: string, overrides: Partial<SourceInput> = {}) {
  return createSource(admin, {
    name: `${name}-${run}`,
    url: cluster.url,
    authType: "api_key",
    username: null,
    secret: "c2VjcmV0LWlkOnNlY3JldC1rZXk=",
    caCert: null,
    tlsVerify: true,
    indexPatterns: ["winlogbeat-*", "logs-windows.sysmon_operational-*", "logs-endpoint.events.api-*"],
    mode: "poll",
    enabled: false,
    pollIntervalSec: 60,
    ...overrides,
  });
}

async function sourceRow(id: string) {
  return getDb().prisma.eventSource.findUniqueOrThrow({ where: { id } });
}
async function storedIds(tag: string) {
  const rows = await getDb().prisma.event.findMany({
    where: { sourceId: { startsWith: `${tag}-` } },
    select: { sourceId: true },
  });
  return rows.map((r) => r.sourceId).sort();
}

beforeAll(async () => {
  const { prisma } = getDb();
  for (const u of [admin, other])
    await prisma.user.create({ data: { id: u.id, name: u.name, email: `${u.id}@test.local`, role: u.role } });
});

afterAll(async () => {
  await closeDb();
});

// ---------------------------------------------------------------- tests

describe("event sources: configuration", () => {
  it("keeps the secret encrypted, shows only that it is set, and audits without it", async () => {
    const cluster = new FakeCluster();
    const source = await newSource(cluster, "secret");
    const row = await sourceRow(source.id);
    expect(row.secretEnc).toMatch(/^v1\./);
    expect(row.secretEnc).not.toContain("c2VjcmV0");
    const listed = (await listSources(admin)).find((s) => s.id === source.id)!;
    expect(listed.secretSet).toBe(true);
    expect(JSON.stringify(listed)).not.toContain("c2VjcmV0");
    const audit = await getDb().prisma.auditLog.findMany({ where: { entityId: source.id } });
    expect(audit.map((a) => a.action)).toEqual(["source.create"]);
    expect(JSON.stringify(audit.map((a) => [a.before, a.after]))).not.toContain("c2VjcmV0");
  });

  it("refuses non-admins", async () => {
    await expect(listSources({ id: "x", role: "lead" })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("refuses a stale edit, naming who saved in between", async () => {
    const source = await newSource(new FakeCluster(), "conflict");
    const input = {
      name: source.name,
      url: "http://127.0.0.1:1",
      authType: "api_key" as const,
      username: null,
      secret: null,
      caCert: null,
      tlsVerify: true,
      indexPatterns: ["winlogbeat-*"],
      mode: "poll" as const,
      enabled: false,
      pollIntervalSec: 120,
    };
    const saved = await updateSource(other, source.id, source.updatedAt, input);
    expect(saved.pollIntervalSec).toBe(120);
    expect(saved.secretSet).toBe(true); // an empty secret field keeps the stored one
    await expect(
      updateSource(admin, source.id, source.updatedAt, { ...input, pollIntervalSec: 300 }),
    ).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(
        /this source was changed by Otto Other at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ; reload/,
      ),
    });
  });
});

describe("polling a cluster", () => {
  const cluster = new FakeCluster();
  beforeAll(() => cluster.start());
  afterAll(() => cluster.stop());

  it("tests the connection: version and cluster name, or the error", async () => {
    const conn = {
      id: null,
      name: "t",
      url: cluster.url,
      authType: "none" as const,
      username: null,
      secret: null,
      caCert: null,
      tlsVerify: true,
      indexPatterns: ["x"],
      mode: "poll" as const,
      checkpoint: null,
    };
    expect(await testSourceConnection(conn)).toEqual({
      ok: true,
      clusterName: "fake-cluster",
      version: "8.15.0",
      distribution: "elasticsearch",
    });
    const down = await testSourceConnection({ ...conn, url: "http://127.0.0.1:9" });
    expect(down).toMatchObject({ ok: false, error: expect.stringMatching(/cannot reach the cluster/) });
  });

  it("pages through every new document with a point in time, stores them once, and alerts on the subscription", async () => {
    const tag = `page-${run}`;
    fillCluster(cluster, tag, 120, 100);
    cluster.docs.push({
      _index: "winlogbeat-8.15.0",
      _id: `${tag}-sub`,
      _source: subscriptionDoc(`HOST-${tag}`, 30, `Evil-${tag}`),
    });
    cluster.docs.push({ _index: "other-index", _id: `${tag}-elsewhere`, _source: sysmonDoc(`HOST-${tag}`, 30, "1") });
    const source = await newSource(cluster, "page");
    cluster.requests = [];
    const outcome = await pollSource(source.id, { now: NOW, tuning });
    expect(outcome).toMatchObject({ ok: true, caughtUp: true, alerts: 1 });
    expect(cluster.requests.filter((r) => r.endsWith("/_pit")).length).toBeGreaterThan(0);
    expect(await storedIds(tag)).toHaveLength(121); // not the document of the other index
    const row = await sourceRow(source.id);
    expect(row).toMatchObject({ health: "healthy", lastError: null, documentsTaken: BigInt(121) });
    expect(row.checkpoint?.toISOString()).toBe(NOW.toISOString());
    const alert = await getDb().prisma.alert.findFirstOrThrow({ where: { consumerName: `Evil-${tag}` } });
    expect(alert.hostName).toBe(`HOST-${tag}`);

    // the next poll re-reads the overlap: nothing new is stored, no new alert
    const later = new Date(NOW.getTime() + 60_000);
    cluster.docs.push({
      _index: "winlogbeat-8.15.0",
      _id: `${tag}-new`,
      _source: {
        ...sysmonDoc(`HOST-${tag}`, -0.5, "1"),
        event: { code: "1", ingested: new Date(NOW.getTime() + 30_000).toISOString() },
      },
    });
    const again = await pollSource(source.id, { now: later, tuning });
    expect(again).toMatchObject({ ok: true, stored: 1, alerts: 0 });
    expect(await storedIds(tag)).toHaveLength(122);
  });

  it("stores what it polls but creates no alert while the rule is disabled", async () => {
    const tag = `off-${run}`;
    cluster.docs.push({
      _index: "winlogbeat-8.15.0",
      _id: `${tag}-sub`,
      _source: subscriptionDoc(`HOST-${tag}`, 30, `Evil-${tag}`),
    });
    const source = await newSource(cluster, "off");
    const { prisma } = getDb();
    const setEnabled = (enabled: boolean) =>
      prisma.ruleState.upsert({
        where: { ruleId: CURRENT_RULE.ruleId },
        create: { ruleId: CURRENT_RULE.ruleId, enabled },
        update: { enabled },
      });
    await setEnabled(false);
    try {
      const outcome = await pollSource(source.id, { now: NOW, tuning });
      expect(outcome).toMatchObject({ ok: true, alerts: 0 });
      expect(await storedIds(tag)).toHaveLength(1);
      expect(await prisma.alert.count({ where: { consumerName: `Evil-${tag}` } })).toBe(0);
    } finally {
      await setEnabled(true);
    }
  });

  it("retries 429 and 503 with backoff, honouring Retry-After", async () => {
    const tag = `retry-${run}`;
    fillCluster(cluster, tag, 10, 50);
    const source = await newSource(cluster, "retry");
    sleeps.length = 0;
    cluster.injected.push(
      { match: /_search$/, status: 429, headers: { "retry-after": "3" } },
      { match: /_search$/, status: 503 },
    );
    const outcome = await pollSource(source.id, { now: NOW, tuning });
    expect(outcome).toMatchObject({ ok: true });
    expect(sleeps[0]).toBe(3000);
    expect(sleeps[1]).toBeGreaterThanOrEqual(500); // second retry: 1 s ceiling, equal jitter
    expect(sleeps[1]).toBeLessThanOrEqual(1000);
    expect(await storedIds(tag)).toHaveLength(10);
  });

  it("turns unhealthy when the retries run out, keeps the checkpoint, and catches up later", async () => {
    const tag = `busy-${run}`;
    fillCluster(cluster, tag, 10, 50);
    const source = await newSource(cluster, "busy");
    cluster.injected.push(...Array.from({ length: 3 }, () => ({ match: /_search$/, status: 429 })));
    const failed = await pollSource(source.id, { now: NOW, tuning });
    expect(failed).toMatchObject({ ok: false, error: expect.stringMatching(/HTTP 429/) });
    expect(await sourceRow(source.id)).toMatchObject({
      health: "unhealthy",
      checkpoint: null,
      lastError: expect.stringMatching(/429/),
    });
    const ok = await pollSource(source.id, { now: NOW, tuning });
    expect(ok).toMatchObject({ ok: true, stored: 10 });
    expect(await sourceRow(source.id)).toMatchObject({ health: "healthy", lastError: null });
  });

  it("survives a cluster restart mid-poll: no gap, no duplicate", async () => {
    const tag = `restart-${run}`;
    // three pages of 50, all in the first window; a page is bigger than what the reader peeks
    // at before its first record (64 KiB), so the first page is stored before the break
    fillCluster(cluster, tag, 130, 350, 2000);
    const source = await newSource(cluster, "restart");
    const before = await getDb().prisma.eventSource.findUniqueOrThrow({
      where: { id: source.id },
      select: { checkpoint: true },
    });
    cluster.dieAfter(1); // the first page is served, then the server goes away
    const broken = await pollSource(source.id, { now: NOW, tuning });
    expect(broken).toMatchObject({ ok: false, error: expect.stringMatching(/cannot reach the cluster/) });
    const afterBreak = await sourceRow(source.id);
    expect(afterBreak.health).toBe("unhealthy");
    expect(afterBreak.checkpoint).toEqual(before.checkpoint);
    const taken = (await storedIds(tag)).length;
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(130);

    await cluster.start(); // back on the same port (also restarts it if an assertion above failed)
    const resumed = await pollSource(source.id, { now: NOW, tuning });
    expect(resumed).toMatchObject({ ok: true, stored: 130 - taken });
    const ids = await storedIds(tag);
    expect(ids).toHaveLength(130);
    expect(new Set(ids).size).toBe(130);
    expect(Number((await sourceRow(source.id)).documentsTaken)).toBe(130);
  });

  it("falls back to search_after on @timestamp+_id when the cluster has no point in time (OpenSearch)", async () => {
    const tag = `nopit-${run}`;
    fillCluster(cluster, tag, 75, 40);
    const source = await newSource(cluster, "nopit");
    cluster.pitSupported = false;
    try {
      cluster.requests = [];
      const outcome = await pollSource(source.id, { now: NOW, tuning });
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ ok: true });
      expect(cluster.requests.some((r) => /^POST \/[^_].*\/_search$/.test(r))).toBe(true);
      expect(await storedIds(tag)).toHaveLength(75);
    } finally {
      cluster.pitSupported = true;
    }
  });

  it("EQL push-down takes the matches and ±15 minutes of their host, nothing else", async () => {
    const tag = `eql-${run}`;
    const host = `HOST-${tag}`;
    const add = (id: string, source: Record<string, unknown>) =>
      cluster.docs.push({ _index: "logs-windows.sysmon_operational-default", _id: `${tag}-${id}`, _source: source });
    add("match", subscriptionDoc(host, 60, `Eql-${tag}`));
    add("filter", sysmonDoc(host, 60.01, "19", { Operation: "Created" }));
    add("proc", sysmonDoc(host, 65, "1"));
    add("far", sysmonDoc(host, 90, "1"));
    add("otherhost", { ...sysmonDoc(`${host}-B`, 60, "1") });
    const source = await newSource(cluster, "eql", { mode: "eql" });
    const outcome = await pollSource(source.id, { now: NOW, tuning });
    expect(outcome).toMatchObject({ ok: true, alerts: 1 });
    expect(await storedIds(tag)).toEqual([`${tag}-filter`, `${tag}-match`, `${tag}-proc`]);
  });

  it("polls the sources that are due, once per interval", async () => {
    const tag = `due-${run}`;
    fillCluster(cluster, tag, 5, 20);
    const source = await newSource(cluster, "due", { enabled: true, pollIntervalSec: 300 });
    const first = await pollDueSources(NOW, tuning);
    expect(first.find((o) => o.sourceId === source.id)).toMatchObject({ ok: true });
    const second = await pollDueSources(new Date(NOW.getTime() + 60_000), tuning);
    expect(second.find((o) => o.sourceId === source.id)).toBeUndefined();
    expect(await storedIds(tag)).toHaveLength(5);
    await getDb().prisma.eventSource.update({ where: { id: source.id }, data: { enabled: false } });
  });
});

describe("the _bulk endpoint", () => {
  it("takes a Beats-style gzip bulk request: 201 new, 409 duplicate, 400 bad document", async () => {
    const tag = `bulk-${run}`;
    const { token } = await createApiToken(admin.id, `beats-${run}`);
    const doc = (i: number) => ({
      ...subscriptionDoc(`HOST-${tag}`, 5, `Bulk-${tag}-${i}`),
      winlog: { ...(subscriptionDoc(`HOST-${tag}`, 5, `Bulk-${tag}-${i}`).winlog as object), record_id: `${tag}-${i}` },
    });
    const lines = [
      { create: { _index: "winlogbeat-8.15.0" } },
      doc(1),
      { create: { _index: "winlogbeat-8.15.0" } },
      doc(2),
      { create: { _index: "winlogbeat-8.15.0" } },
      { message: "no timestamp" },
      { update: { _index: "winlogbeat-8.15.0", _id: "x" } },
      { doc: {} },
      { create: { _index: "winlogbeat-8.15.0" } },
      // deeper than JSON.stringify can write, so written as text
      `{"@timestamp":"2024-01-01T00:00:00Z","deep":${'{"a":'.repeat(20000)}1${"}".repeat(20000)}}`,
    ];
    const body = gzipSync(
      Buffer.from(`${lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n")}\n`),
    );
    const { POST } = await import("@/app/api/es/[...path]/route");
    const send = () =>
      POST(
        new Request("http://localhost/api/es/_bulk", {
          method: "POST",
          headers: {
            authorization: `ApiKey ${Buffer.from(`beats:${token}`).toString("base64")}`,
            "content-type": "application/json",
            "content-encoding": "gzip",
          },
          body,
        }),
        { params: Promise.resolve({ path: ["_bulk"] }) },
      );
    const first = await send();
    expect(first.status).toBe(200);
    expect(first.headers.get("x-elastic-product")).toBe("Elasticsearch");
    const json = (await first.json()) as {
      errors: boolean;
      items: Array<Record<string, { status: number; error?: { type: string; reason?: string } }>>;
    };
    expect(json.errors).toBe(true);
    expect(json.items.map((i) => Object.values(i)[0].status)).toEqual([201, 201, 400, 400, 400]);
    expect(json.items[2].create.error?.type).toBe("document_parsing_exception");
    expect(json.items[4].create.error).toMatchObject({
      type: "document_parsing_exception",
      reason: "document nested more than 100 levels deep",
    });
    // the rule runs in the worker, not in the request: the job says it is queued; this test is the worker
    const job = await getDb().prisma.ingestJob.findFirstOrThrow({
      where: { fileName: { startsWith: "_bulk from" } },
      orderBy: { startedAt: "desc" },
      select: { id: true, detection: true },
    });
    expect(["pending", "running", "succeeded"]).toContain(job.detection);
    await runIngestDetection(job.id);
    expect(await waitForIngestDetection(job.id, 60_000)).toMatchObject({ detection: "succeeded", alerts: 2 });
    expect(await getDb().prisma.alert.count({ where: { consumerName: { startsWith: `Bulk-${tag}` } } })).toBe(2);

    // Beats resend after a timeout: the same events answer 409, which Beats count as delivered
    const again = (await (await send()).json()) as typeof json;
    expect(again.items.slice(0, 2).map((i) => i.create.status)).toEqual([409, 409]);
    expect(
      await getDb().prisma.event.count({ where: { doc: { path: ["winlog", "record_id"], string_starts_with: tag } } }),
    ).toBe(2);
  });

  it("refuses a request without a valid token", async () => {
    const { GET } = await import("@/app/api/es/route");
    const response = await GET(
      new Request("http://localhost/api/es", { headers: { authorization: "ApiKey bm9wZTpub3Bl" } }),
      undefined,
    );
    expect(response.status).toBe(401);
  });

  it("answers the handshake with the version and the product header", async () => {
    const { token } = await createApiToken(admin.id, `hs-${run}`);
    const { GET } = await import("@/app/api/es/route");
    const response = await GET(
      new Request("http://localhost/api/es", { headers: { authorization: `Bearer ${token}` } }),
      undefined,
    );
    expect(response.headers.get("x-elastic-product")).toBe("Elasticsearch");
    expect(await response.json()).toMatchObject({
      version: { number: expect.stringMatching(/^8\./), build_flavor: "default" },
      tagline: "You Know, for Search",
    });
  });

  it("ingestBulk keeps a document's own _id: an index action on a stored one is a noop", async () => {
    const tag = `bulkid-${run}`;
    const text = [{ index: { _index: "winlogbeat-x", _id: `${tag}-1` } }, sysmonDoc("H", 1, "1")]
      .map((l) => JSON.stringify(l))
      .join("\n");
    const a = await ingestBulk(text, null, "test");
    const b = await ingestBulk(text, null, "test");
    expect((a.items as Array<{ index: { status: number } }>)[0].index.status).toBe(201);
    expect(b).toMatchObject({ errors: false, items: [{ index: { status: 200, result: "noop", _id: `${tag}-1` } }] });
  });
});
