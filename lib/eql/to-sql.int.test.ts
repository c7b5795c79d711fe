import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileMatcher } from "./evaluate";
import { parseDateMillis } from "./dates";
import { canonicalizeDocument } from "./fields";
import { parseEql } from "./parser";
import { compileToSql } from "./to-sql";
import { RULE_QUERY } from "./fixtures/rule-query";

const url = process.env.DATABASE_URL;
if (!url)
  throw new Error(
    "DATABASE_URL is not set: the SQL differential test needs a Postgres (e.g. postgresql://postgres@127.0.0.1:5432/postgres)",
  );

const schema = `eql_diff_${process.pid}_${Date.now()}`;
const client = new pg.Client({ connectionString: url });

const BASE: Record<string, unknown>[] = [
  {
    "event.dataset": "windows.sysmon_operational",
    "event.code": "21",
    winlog: {
      event_data: { Operation: "Created", Consumer: '\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name="x"' },
    },
  },
  {
    event: { dataset: "windows.sysmon_operational", code: 21 },
    "winlog.event_data": {
      Operation: "created",
      Consumer: ["a", "root\\SUBSCRIPTION:activescripteventconsumer.Name=y"],
    },
  },
  {
    event: { dataset: "windows.sysmon_operational", code: "021" },
    winlog: { event_data: { Operation: "Deleted", Consumer: ' "CommandLineEventConsumer.Name=\\"Evil\\""' } },
  },
  {
    event: { dataset: "endpoint.events.api", provider: "Microsoft-Windows-WMI-Activity", category: ["api"] },
    process: {
      Ext: { api: { name: "IWbemServices::PutInstance", parameters: { consumer_type: "ActiveScriptEventConsumer" } } },
    },
  },
  {
    event: { dataset: "endpoint.events.api", provider: "Microsoft-Windows-WMI-Activity", category: "process" },
    "process.Ext.api": {
      name: "IWbemServices::PutInstance",
      parameters: { consumer_type: ["x", "CommandLineEventConsumer"] },
    },
  },
  {
    event: { dataset: "endpoint.events.api", provider: "Microsoft-Windows-WMI-Activity" },
    process: {
      Ext: { api: { name: "IWbemServices::PutInstance", parameters: { consumer_type: "commandlineeventconsumer" } } },
    },
  },
  { a: "x%y", b: "a_b", c: "back\\slash", n: 10, f: 1.5, t: true, s: "10", e: "", o: { k: "x" } },
  { a: "xzy", b: "axb", c: "backslash", n: "9", f: "1.5", t: "true", s: 9, e: null, arr: [{ k: 1 }, { k: [2, "3"] }] },
  { a: ["X%Y", null], b: [], n: -3, t: false, "o.k": "y", o: { j: 1 } },
  { a: "Ünïcode", b: "ÀB", c: "straße", n: 0.25 },
  { "event.category": ["process", "network"], a: "x" },
  {},
];

function variations(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [...BASE];
  for (const doc of BASE) {
    // upper-case every string value, and wrap every leaf in an array
    const mapLeaves = (v: unknown, f: (x: unknown) => unknown): unknown =>
      Array.isArray(v)
        ? v.map((x) => mapLeaves(x, f))
        : v && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapLeaves(x, f)]))
          : f(v);
    out.push(mapLeaves(doc, (x) => (typeof x === "string" ? x.toUpperCase() : x)) as Record<string, unknown>);
    out.push(mapLeaves(doc, (x) => [x]) as Record<string, unknown>);
    out.push(mapLeaves(doc, (x) => (typeof x === "number" ? String(x) : x)) as Record<string, unknown>);
  }
  return out;
}

const QUERIES = [
  RULE_QUERY,
  'process where a == "x"',
  "api where true",
  'any where a == "x%y"',
  'any where a != "x%y"',
  'any where a : "x%y"',
  'any where a : "x*y"',
  'any where a : ("x?y", "*Z*")',
  'any where a like "x%*"',
  'any where a like~ "X?Y"',
  'any where b : "a_b" or b like "a?b"',
  'any where c : "back\\\\*"',
  'any where c like "*\\\\sl*"',
  'any where n == 10 or n == "9" or n == -3',
  "any where n > 5",
  'any where n >= "9"',
  "any where n < 1",
  "any where f == 1.5",
  "any where t == true",
  'any where t == "false"',
  "any where t",
  'any where s in (10, "9")',
  'any where s not in (10, "9")',
  'any where a in~ ("XZY", "x%y")',
  'any where a not in~ ("XZY")',
  'any where e == ""',
  "any where e == null",
  "any where e != null",
  'any where o.k == "x" or o.k == "y"',
  'any where o == "x"',
  'any where arr.k == 2 or arr.k == "3"',
  'any where arr.k : "3"',
  'any where not (a : "x*" and n > 0)',
  "any where not (n < null)",
  'any where not (a : "x*" and n > null)',
  'any where a : "ünï*"',
  'any where b like "ÀB"',
  'any where c : "STRASSE"',
  'any where a regex "x.y" or a regex~ "XZ."',
  'any where not a regex "x.*"',
  'any where startsWith(a, "x") or endsWith~(c, "SLASH")',
  'any where stringContains(a, "%") and not stringContains~(b, "_")',
  "any where length(a) == 3",
  "any where not length(a) == 3",
  'any where wildcard(a, "x*")',
  "any where add(n, 1) > 5",
  "any where a : null",
  'any where event.code in ("21", 21)',
  'any where process.Ext.api.parameters.consumer_type in ("ActiveScriptEventConsumer", "CommandLineEventConsumer")',
  'any where winlog.event_data.Consumer : "*subscription:commandlineeventconsumer*"',
  'any where concat(a, "-") == null',
  'any where concat(a, "-") != null',
  'any where indexOf(a, "y") != null',
  'any where not indexOf(a, "y") == null',
  "any where n / 4.0 == 2.5",
  "any where n == 10.0 or f == 1.5 or n in (0.25, -3.0)",
  "any where n / 4 == 2",
  'any where a regex "x.*?y"',
  'any where not a regex~ "x.+?"',
];

beforeAll(async () => {
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
});

afterAll(async () => {
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

const DATED: Record<string, unknown>[] = [
  { "@timestamp": "2026-01-05T10:15:30.250Z", a: "x" },
  { "@timestamp": "2026-01-05T00:00:00.000Z" },
  { "@timestamp": "2026-01-04T23:59:59.999Z" },
  { "@timestamp": "2026-01-06T00:00:00Z" },
  { "@timestamp": "2026-01-05T11:00:00.000+01:00" },
  { "@timestamp": Date.parse("2026-01-05T10:15:30.250Z") },
];

const DATE_QUERIES = [
  'any where @timestamp == "2026-01-05"',
  'any where @timestamp != "2026-01-05"',
  'any where @timestamp < "2026-01-05"',
  'any where @timestamp <= "2026-01-05"',
  'any where @timestamp > "2026-01-05"',
  'any where @timestamp >= "2026-01-05T10:00Z"',
  'any where @timestamp > "2026-01-05T10:15:30Z"',
  `any where @timestamp == ${Date.parse("2026-01-05T10:15:30.250Z")}`,
  `any where @timestamp < "${Date.parse("2026-01-05T10:00:00Z")}"`,
  'any where @timestamp > "2026-01-05T09:00:00.000-01:00" and a == "x"',
  'any where not @timestamp >= "2026-01-05"',
  'any where @timestamp < "not a date"',
];

describe("compileToSql pushes @timestamp to a timestamp column", () => {
  const table = `"${schema}".dated`;
  beforeAll(async () => {
    await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, ts timestamptz NOT NULL, doc jsonb NOT NULL)`);
    for (const [i, doc] of DATED.entries()) {
      await client.query(`INSERT INTO ${table} (id, ts, doc) VALUES ($1, $2, $3)`, [
        i,
        new Date(parseDateMillis(doc["@timestamp"]) ?? NaN).toISOString(),
        JSON.stringify(doc),
      ]);
    }
  });

  it.each(DATE_QUERIES)("%s", async (query) => {
    const q = parseEql(query);
    const matcher = compileMatcher(q);
    const expected = DATED.flatMap((d, i) => (matcher(d) ? [i] : []));
    const { sql, params, exact } = compileToSql(q, { column: "e.doc", timestampColumn: "e.ts" });
    expect(exact).toBe(true);
    const res = await client.query<{ id: number }>(`SELECT id FROM ${table} e WHERE ${sql} ORDER BY id`, params);
    expect(res.rows.map((r) => r.id)).toEqual(expected);
  });

  it("finds the whole day for == on a date and leaves other date fields to the evaluator", () => {
    const matcher = compileMatcher(parseEql('any where @timestamp == "2026-01-05"'));
    expect(DATED.filter(matcher)).toHaveLength(4);
    expect(compileToSql(parseEql('any where event.created > "2026-01-05"'), { column: "e.doc" }).exact).toBe(false);
  });
});

describe("compileToSql matches the evaluator", () => {
  const docs = variations().map(canonicalizeDocument);

  beforeAll(async () => {
    await client.query(`CREATE TABLE "${schema}".docs (id int PRIMARY KEY, doc jsonb NOT NULL)`);
    for (const [i, doc] of docs.entries()) {
      await client.query(`INSERT INTO "${schema}".docs (id, doc) VALUES ($1, $2)`, [i, JSON.stringify(doc)]);
    }
  });

  it.each(QUERIES)("%s", async (query) => {
    const q = parseEql(query);
    const matcher = compileMatcher(q);
    const expected = docs.flatMap((d, i) => (matcher(d) ? [i] : []));
    const { sql, params, exact } = compileToSql(q, { column: "e.doc", paramOffset: 1 });
    const res = await client.query<{ id: number }>(
      `SELECT id FROM "${schema}".docs e WHERE id >= $1 AND ${sql} ORDER BY id`,
      [0, ...params],
    );
    const fromSql = res.rows.map((r) => r.id);
    const refiltered = exact ? fromSql : fromSql.filter((id) => matcher(docs[id]));
    expect(refiltered).toEqual(expected);
    if (!exact) expect(fromSql.length).toBeGreaterThanOrEqual(expected.length);
  });

  it("is exact for the rule, and reports inexact for regex", () => {
    expect(compileToSql(parseEql(RULE_QUERY), { column: "e.doc" }).exact).toBe(true);
    expect(compileToSql(parseEql('any where a regex "x"'), { column: "e.doc" }).exact).toBe(false);
  });

  it("finds the rule's matches among the documents", () => {
    const matcher = compileMatcher(parseEql(RULE_QUERY));
    expect(docs.filter(matcher).length).toBeGreaterThanOrEqual(4);
  });
});

// JSON numbers as a shipper writes them: `3.0` and `3` are the same number to Elasticsearch's
// numeric comparisons ("Comparison operators": 3.0 == 3), and jsonb keeps the text's scale. The
// hunt reads documents back from PostgreSQL, so the evaluator sees what the SQL saw.
const NUMBER_TEXTS = ['{"n": 3.0}', '{"n": 3}', '{"n": 7.50}', '{"n": [3.00, 4]}', '{"n": -0.0}', '{"m": 3.0}'];
const NUMBER_QUERIES: [string, number[]][] = [
  ["any where n == 3", [0, 1, 3]],
  ["any where n == 3.0", [0, 1, 3]],
  // must_not: the multi-valued [3.00, 4] holds 3; the document without n has no 3
  ["any where n != 3", [2, 4, 5]],
  ["any where n != 3.0", [2, 4, 5]],
  ["any where n in (3.0, 7.5)", [0, 1, 2, 3]],
  ["any where n in (4.0)", [3]],
  ["any where n == 7.5", [2]],
  ["any where n > 2.5 and n < 3.5", [0, 1, 3]],
  ["any where n in (3, 7.5)", [0, 1, 2, 3]],
  ["any where n == 0", [4]],
  ["any where n >= 4", [2, 3]],
  ["any where 30 / 4.0 == 7.5 and n == 3", [0, 1, 3]],
  ["any where 30 / 4 == 7 and n == 3.0", [0, 1, 3]],
];

describe("decimal JSON numbers: the SQL and the evaluator give Elasticsearch's answers", () => {
  const table = `"${schema}".numbers`;
  let stored: Record<string, unknown>[] = [];
  beforeAll(async () => {
    await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, doc jsonb NOT NULL)`);
    for (const [i, text] of NUMBER_TEXTS.entries())
      await client.query(`INSERT INTO ${table} (id, doc) VALUES ($1, $2::jsonb)`, [i, text]);
    const res = await client.query<{ doc: Record<string, unknown> }>(`SELECT doc FROM ${table} ORDER BY id`);
    stored = res.rows.map((r) => r.doc);
    expect((await client.query(`SELECT doc->>'n' AS n FROM ${table} WHERE id = 0`)).rows[0].n).toBe("3.0");
  });

  it.each(NUMBER_QUERIES)("%s", async (query, answer) => {
    const q = parseEql(query);
    const matcher = compileMatcher(q);
    expect(stored.flatMap((d, i) => (matcher(d) ? [i] : []))).toEqual(answer);
    const { sql, params, exact } = compileToSql(q, { column: "e.doc" });
    const res = await client.query<{ id: number }>(`SELECT id FROM ${table} e WHERE ${sql} ORDER BY id`, params);
    const fromSql = res.rows.map((r) => r.id);
    expect(exact ? fromSql : fromSql.filter((id) => matcher(stored[id]))).toEqual(answer);
  });
});
