import { describe, expect, it } from "vitest";
import { compileMatcher, evaluateQuery } from "./evaluate";
import { parseDateMillis } from "./dates";
import { parseEql } from "./parser";

// Cases written from Elasticsearch's EQL reference (syntax: "Optional fields", "Check if a field
// exists", "Math operators"; function reference: "returns null if …"; Query DSL range query:
// "Missing date components"; regexp syntax) — each expectation is Elasticsearch's documented answer.

const matches = (query: string, doc: Record<string, unknown>) => {
  const q = parseEql(query);
  const fast = compileMatcher(q)(doc);
  expect(evaluateQuery(q, doc).matched).toBe(fast);
  return fast;
};

describe("null checks on function and expression results (IsNull / IsNotNull)", () => {
  it("concat returns null when an argument is null, and == null holds", () => {
    expect(matches('any where concat(a, "x") == null', {})).toBe(true);
    expect(matches('any where concat(a, "x") == null', { a: "y" })).toBe(false);
    expect(matches('any where concat(a, "x") != null', { a: "y" })).toBe(true);
    expect(matches('any where concat(a, "x") != null', {})).toBe(false);
  });

  it("indexOf returns null when the substring is absent", () => {
    expect(matches('any where indexOf(a, "z") != null', { a: "xyz" })).toBe(true);
    expect(matches('any where indexOf(a, "q") != null', { a: "xyz" })).toBe(false);
    expect(matches('any where indexOf(a, "q") == null', { a: "xyz" })).toBe(true);
    expect(matches('any where null == indexOf(a, "q")', { a: "xyz" })).toBe(true);
  });

  it("arithmetic over a missing field is null; orderings with null match nothing", () => {
    expect(matches("any where n + 1 == null", {})).toBe(true);
    expect(matches("any where n + 1 == null", { n: 1 })).toBe(false);
    expect(matches("any where length(a) < null", { a: "x" })).toBe(false);
  });

  it("an ordering with null is null, and stays null under not (three-valued, as Elastic folds it)", () => {
    for (const doc of [{}, { a: 1 }, { a: "x" }]) {
      expect(matches("any where a < null", doc)).toBe(false);
      expect(matches("any where not (a < null)", doc)).toBe(false);
      expect(matches("any where not (null >= a)", doc)).toBe(false);
      expect(matches("any where not not (a < null)", doc)).toBe(false);
    }
    // null and false is false, so its negation holds; null and true is null
    expect(matches('any where not (b == "y" and a < null)', { b: "z" })).toBe(true);
    expect(matches('any where not (b == "y" and a < null)', { b: "y" })).toBe(false);
    // null or true is true; null or false is null
    expect(matches('any where b == "y" or a > null', { b: "y" })).toBe(true);
    expect(matches('any where not (b == "y" or a > null)', { b: "z" })).toBe(false);
    expect(matches('any where not (b == "y" or a > null)', { b: "y" })).toBe(false);
  });

  it("null != null matches no event (the docs' missing optional field)", () => {
    expect(matches("any where null != null", {})).toBe(false);
    expect(matches("any where ?user.id != null", {})).toBe(false);
    expect(matches("any where ?user.id != null", { user: { id: "u" } })).toBe(true);
  });
});

describe("arithmetic keeps integer and decimal types", () => {
  it("30 / 4.0 is 7.5 and 30 / 4 is 7", () => {
    expect(matches("any where 30 / 4.0 == 7.5", {})).toBe(true);
    expect(matches("any where 30.0 / 4 == 7.5", {})).toBe(true);
    expect(matches("any where 30 / 4 == 7", {})).toBe(true);
    expect(matches("any where divide(30, 4.0) == 7.5", {})).toBe(true);
    expect(matches("any where divide(30, 4) == 7", {})).toBe(true);
    expect(matches("any where (10 + 0.0) / 4 == 2.5", {})).toBe(true);
  });

  it("the reference's process.args_count example: 4 / n == 1 matches 3 and 4, 4.0 / n only 4", () => {
    for (const n of [3, 4]) expect(matches("process where (4 / process.args_count) == 1", ev(n))).toBe(true);
    expect(matches("process where (4 / process.args_count) == 1", ev(5))).toBe(false);
    expect(matches("process where (4.0 / process.args_count) == 1", ev(3))).toBe(false);
    expect(matches("process where (4.0 / process.args_count) == 1", ev(4))).toBe(true);
  });
});

const ev = (n: number) => ({ event: { category: "process" }, process: { args_count: n } });

describe("@timestamp against date strings and epoch milliseconds", () => {
  const doc = { "@timestamp": "2026-01-05T10:15:30.250Z" };
  it("compares instants, with zones and epoch millis", () => {
    expect(matches('any where @timestamp > "2026-01-05T10:15:29Z"', doc)).toBe(true);
    // `gt` rounds the missing milliseconds up to .999
    expect(matches('any where @timestamp > "2026-01-05T10:15:30Z"', doc)).toBe(false);
    expect(matches('any where @timestamp >= "2026-01-05T10:15:30Z"', doc)).toBe(true);
    expect(matches('any where @timestamp < "2026-01-05T10:15:30.251Z"', doc)).toBe(true);
    expect(matches('any where @timestamp == "2026-01-05T11:15:30.250+01:00"', doc)).toBe(true);
    expect(matches(`any where @timestamp == ${Date.parse(doc["@timestamp"])}`, doc)).toBe(true);
    expect(matches(`any where @timestamp >= "${Date.parse(doc["@timestamp"])}"`, doc)).toBe(true);
    expect(matches(`any where @timestamp > ${Date.parse(doc["@timestamp"])}`, doc)).toBe(false);
    // lexicographic comparison would say "2026-01-05T10…" < "2026-1-6"; as dates it is not even parsed
    expect(matches('any where @timestamp < "2026-02-01"', doc)).toBe(true);
  });

  it("fills missing components: down for >= and <, up (23:59:59.999) for > and <=; == spans both", () => {
    expect(matches('any where @timestamp <= "2026-01-05"', doc)).toBe(true);
    expect(matches('any where @timestamp < "2026-01-05"', doc)).toBe(false);
    expect(matches('any where @timestamp >= "2026-01-05"', doc)).toBe(true);
    expect(matches('any where @timestamp > "2026-01-05"', doc)).toBe(false);
    expect(matches('any where @timestamp == "2026-01-05"', doc)).toBe(true);
    expect(matches('any where @timestamp != "2026-01-05"', doc)).toBe(false);
    expect(matches('any where @timestamp == "2026-01-06"', doc)).toBe(false);
    expect(parseDateMillis("2099-12", true)).toBe(Date.parse("2099-12-01T23:59:59.999Z"));
    expect(parseDateMillis("2099-12", false)).toBe(Date.parse("2099-12-01T00:00:00.000Z"));
  });

  it("reads epoch millis stored as numbers and rejects what is not a date", () => {
    expect(matches('any where @timestamp >= "2026-01-05"', { "@timestamp": Date.parse("2026-01-05T12:00Z") })).toBe(
      true,
    );
    expect(matches('any where @timestamp > "yesterday"', doc)).toBe(false);
    expect(parseDateMillis("2026-02-30")).toBeNull();
  });
});

describe("regex: Lucene's repeated repeats, such as .*?", () => {
  it("matches the whole value whatever the laziness mark", () => {
    expect(matches('any where a regex ".*?\\\\.exe"', { a: "c:\\cmd.exe" })).toBe(true);
    expect(matches('any where a regex "a.*?b"', { a: "axxbyyb" })).toBe(true);
    // `.+?` is "optionally one or more" in Lucene: it matches "ac", where a lazy PCRE `.+?` would not
    expect(matches('any where a regex "a.+?c"', { a: "ac" })).toBe(true);
    expect(matches('any where a regex "a.+c"', { a: "ac" })).toBe(false);
    expect(matches('any where a regex~ "POWER.*?SHELL\\\\.EXE"', { a: "power-shell.exe" })).toBe(true);
    expect(matches('any where a regex "x{2}?y"', { a: "y" })).toBe(true);
  });
});
