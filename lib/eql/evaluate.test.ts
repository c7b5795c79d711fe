import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileMatcher, describeFailure, evaluateQuery } from "./evaluate";
import { parseEql } from "./parser";
import { canonicalizeDocument, getFieldValues } from "./fields";
import { RULE_QUERY } from "./fixtures/rule-query";

const matches = (query: string, doc: Record<string, unknown>) => {
  const q = parseEql(query);
  const explained = evaluateQuery(q, doc).matched;
  const fast = compileMatcher(q)(doc);
  expect(fast).toBe(explained);
  return fast;
};

describe("field access", () => {
  it("finds a path through nested, dotted and mixed keys and arrays of objects", () => {
    expect(getFieldValues({ a: { b: { c: 1 } } }, "a.b.c")).toEqual([1]);
    expect(getFieldValues({ "a.b.c": 1 }, "a.b.c")).toEqual([1]);
    expect(getFieldValues({ "a.b": { c: 1 } }, "a.b.c")).toEqual([1]);
    expect(getFieldValues({ a: { "b.c": 1 } }, "a.b.c")).toEqual([1]);
    expect(getFieldValues({ a: [{ b: 1 }, { b: [2, [3]] }] }, "a.b")).toEqual([1, 2, 3]);
    expect(getFieldValues({ a: { b: null } }, "a.b")).toEqual([]);
    expect(getFieldValues({ a: {} }, "a.constructor")).toEqual([]);
  });

  it("canonicalizes dotted keys into nested objects, merging both forms", () => {
    const doc = { "a.b": 1, a: { c: 2 }, "x.y": 1, x: { y: 2 } };
    expect(canonicalizeDocument(doc)).toEqual({ a: { b: 1, c: 2 }, x: { y: [1, 2] } });
    expect(getFieldValues(canonicalizeDocument(doc), "x.y").sort()).toEqual([1, 2]);
  });
});

describe("operators", () => {
  it("== is case-sensitive and literal; : is case-insensitive, whole-value and wildcard", () => {
    expect(matches('any where a == "Created"', { a: "created" })).toBe(false);
    expect(matches('any where a : "Created"', { a: "cReAtEd" })).toBe(true);
    expect(matches('any where a : "reat"', { a: "Created" })).toBe(false);
    expect(matches('any where a : "*reat*"', { a: "Created" })).toBe(true);
    expect(matches('any where a : "C?eated"', { a: "Created" })).toBe(true);
    expect(matches('any where a : "C?reated"', { a: "Created" })).toBe(false);
    expect(matches('any where a == "x*"', { a: "xyz" })).toBe(false);
    expect(matches('any where a == "x*"', { a: "x*" })).toBe(true);
    expect(matches('any where a : ("q", "*z")', { a: "xyZ" })).toBe(true);
  });

  it("treats backslash in wildcard patterns as an ordinary character", () => {
    expect(matches('any where a : "C:\\\\Windows\\\\*"', { a: "c:\\windows\\system32" })).toBe(true);
    expect(matches('any where a like "a\\\\*"', { a: "a\\bc" })).toBe(true);
    expect(matches('any where a like "a*"', { a: "A" })).toBe(false);
    expect(matches('any where a like~ "a*"', { a: "A" })).toBe(true);
  });

  it("missing/null fields: positive false, negations true", () => {
    for (const doc of [{}, { a: null }]) {
      expect(matches('any where a == "x"', doc)).toBe(false);
      expect(matches('any where a : "*"', doc)).toBe(false);
      expect(matches('any where a != "x"', doc)).toBe(true);
      expect(matches('any where a not in ("x")', doc)).toBe(true);
      expect(matches('any where not a == "x"', doc)).toBe(true);
      expect(matches("any where a == null", doc)).toBe(true);
      expect(matches("any where a != null", doc)).toBe(false);
      expect(matches("any where a < 5", doc)).toBe(false);
    }
    expect(matches('any where a : "*"', { a: "" })).toBe(true);
    expect(matches('any where a == ""', { a: "" })).toBe(true);
  });

  it("multi-valued fields: any for positive, none for != / not in", () => {
    const doc = { a: ["x", "y"] };
    expect(matches('any where a == "y"', doc)).toBe(true);
    expect(matches('any where a != "y"', doc)).toBe(false);
    expect(matches('any where a != "z"', doc)).toBe(true);
    expect(matches('any where a not in ("y", "q")', doc)).toBe(false);
    expect(matches('any where a in ("y", "q")', doc)).toBe(true);
  });

  it("compares numbers and booleans as keyword text", () => {
    expect(matches('any where a == "21"', { a: 21 })).toBe(true);
    expect(matches("any where a == 21", { a: 21 })).toBe(true);
    expect(matches("any where a == 21", { a: "21" })).toBe(true);
    expect(matches("any where a == 21", { a: "021" })).toBe(false);
    // a JSON number's field is numeric (dynamic mapping): a decimal literal compares as a number there
    expect(matches("any where a == 21.0", { a: 21 })).toBe(true);
    expect(matches("any where a == 21.0", { a: "21" })).toBe(false);
    expect(matches("any where a == 21.0", { a: "21.0" })).toBe(true);
    expect(matches("any where a in (1.0, 2.5)", { a: 1 })).toBe(true);
    expect(matches("any where a in (1.0, 2.5)", { a: "1" })).toBe(false);
    expect(matches('any where a == "true"', { a: true })).toBe(true);
    expect(matches("any where a == true", { a: "true" })).toBe(true);
    expect(matches("any where a in (1, 2)", { a: "2" })).toBe(true);
    expect(matches('any where a in~ ("ABC")', { a: "abc" })).toBe(true);
    expect(matches('any where a in ("ABC")', { a: "abc" })).toBe(false);
  });

  it("orders numbers numerically and strings lexicographically", () => {
    expect(matches("any where a > 5", { a: 10 })).toBe(true);
    expect(matches("any where a > 5", { a: "10" })).toBe(false);
    expect(matches('any where a >= "b"', { a: "c" })).toBe(true);
    expect(matches("any where 5 < a", { a: 10 })).toBe(true);
  });

  it("objects are not comparable", () => {
    expect(matches('any where a == "x"', { a: { b: "x" } })).toBe(false);
    expect(matches('any where a != "x"', { a: { b: "x" } })).toBe(true);
  });

  it("regex is anchored Lucene syntax", () => {
    expect(matches('any where a regex "ab+c"', { a: "abbbc" })).toBe(true);
    expect(matches('any where a regex "b+"', { a: "abbbc" })).toBe(false);
    expect(matches('any where a regex "[a-c]{3}|x"', { a: "x" })).toBe(true);
    expect(matches('any where a regex "[^a]"', { a: "b" })).toBe(true);
    expect(matches('any where a regex "a.c"', { a: "a\nc" })).toBe(true);
    expect(matches('any where a regex "ABC"', { a: "abc" })).toBe(false);
    expect(matches('any where a regex~ "ABC"', { a: "abc" })).toBe(true);
    expect(matches('any where a regex "\\"a.c\\""', { a: "a.c" })).toBe(true);
    expect(matches('any where a regex "\\"a.c\\""', { a: "abc" })).toBe(false);
    expect(matches('any where a regex "a^$"', { a: "a^$" })).toBe(true);
    expect(() => parseEql('any where a regex "a&b"') && matches('any where a regex "a&b"', { a: "x" })).toThrow(
      /intersection/,
    );
  });

  it("category filters on event.category", () => {
    expect(matches("process where true", { event: { category: ["network", "process"] } })).toBe(true);
    expect(matches("process where true", { event: { category: "file" } })).toBe(false);
    expect(matches("any where true", {})).toBe(true);
  });
});

describe("functions", () => {
  it("string functions with ~ variants", () => {
    const doc = { p: "C:\\Windows\\System32\\cmd.exe", n: ["x.dll", "regsvr32.exe"], ip: "10.1.2.3" };
    expect(matches('any where startsWith(p, "C:\\\\Win")', doc)).toBe(true);
    expect(matches('any where startsWith(p, "c:\\\\win")', doc)).toBe(false);
    expect(matches('any where startsWith~(p, "c:\\\\win")', doc)).toBe(true);
    expect(matches('any where endsWith(n, ".exe")', doc)).toBe(true);
    expect(matches('any where stringContains~(p, "SYSTEM32")', doc)).toBe(true);
    expect(matches('any where between(p, "System32\\\\", ".exe") == "cmd"', doc)).toBe(true);
    expect(matches("any where length(ip) == 8", doc)).toBe(true);
    expect(matches('any where cidrMatch(ip, "10.0.0.0/8", "192.168.0.0/16")', doc)).toBe(true);
    expect(matches('any where cidrMatch(ip, "11.0.0.0/8")', doc)).toBe(false);
    expect(matches('any where concat("a", 1, true) == "a1true"', doc)).toBe(true);
    expect(matches('any where indexOf(ip, ".") == 2', doc)).toBe(true);
    expect(matches('any where substring(ip, -5) == "1.2.3"', doc)).toBe(true);
    expect(matches('any where wildcard(p, "*cmd*", "*x*")', doc)).toBe(true);
    expect(
      matches(
        "any where add(2, multiply(3, 4)) == 14 and divide(7, 2) == 3 and modulo(7, 2) == 1 and subtract(1, 3) == -2",
        doc,
      ),
    ).toBe(true);
    expect(matches('any where number("0x1f", 16) == 31 and string(5) == "5"', doc)).toBe(true);
    expect(matches('any where startsWith(missing, "x")', doc)).toBe(false);
    expect(matches('any where not startsWith(missing, "x")', doc)).toBe(true);
  });
});

// Real Sysmon 21 events (OTRF Security-Datasets, NXLog JSON) shaped the way Elastic's
// Windows integration stores them, minimally: event.code as text, EventData under winlog.event_data.
function sysmon21FromOtrf(): Record<string, unknown>[] {
  const file = new URL(
    "../../../shared/datasets/otrf-security-datasets/covenant_wmi_remote_event_subscription_ActiveScriptEventConsumers_2020-09-01214330.json",
    import.meta.url,
  );
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.includes('"EventID":21,'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .map((e) => ({
      event: { dataset: "windows.sysmon_operational", code: String(e.EventID) },
      winlog: { event_data: { Operation: e.Operation, Consumer: e.Consumer } },
    }));
}

describe("the WMI rule", () => {
  const q = parseEql(RULE_QUERY);

  it("does not fire on real Sysmon 21 events whose Consumer lacks 'subscription:' and names the failing predicate", () => {
    const events = sysmon21FromOtrf();
    expect(events.length).toBeGreaterThan(0);
    for (const doc of events) {
      const r = evaluateQuery(q, doc);
      expect(r.matched).toBe(false);
      const failed = describeFailure(r);
      const operation = (doc.winlog as { event_data: { Operation: string } }).event_data.Operation;
      // the recording has one "Created" and one "Deleted" binding
      const expected =
        operation === "Created"
          ? ["winlog.event_data.Consumer"]
          : ["winlog.event_data.Operation", "winlog.event_data.Consumer"];
      expect(failed.map((t) => t.field)).toEqual(expected);
      expect(failed[failed.length - 1].values[0]).toMatch(/EventConsumer\.Name=/);
    }
  });

  it("fires branch 0 on a Sysmon 21 consumer path and branch 1 on an endpoint API event", () => {
    const sysmon = {
      "event.dataset": "windows.sysmon_operational",
      "event.code": 21,
      winlog: {
        event_data: { Operation: "created", Consumer: '\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name="x"' },
      },
    };
    const r0 = evaluateQuery(q, sysmon);
    expect(r0.matched).toBe(true);
    expect(r0.branch?.index).toBe(0);
    expect(r0.branch?.text.startsWith('event.dataset == "windows.sysmon_operational"')).toBe(true);
    expect(r0.trace).toHaveLength(8);

    const endpoint = {
      event: { dataset: "endpoint.events.api", provider: "Microsoft-Windows-WMI-Activity" },
      process: {
        Ext: {
          api: { name: "IWbemServices::PutInstance", parameters: { consumer_type: ["ActiveScriptEventConsumer"] } },
        },
      },
    };
    const r1 = evaluateQuery(q, endpoint);
    expect(r1.branch).toEqual({
      index: 1,
      text: expect.stringContaining("process.Ext.api.parameters.consumer_type in"),
    });
    expect(
      evaluateQuery(q, { ...endpoint, event: { ...endpoint.event, dataset: "Endpoint.events.api" } }).matched,
    ).toBe(false);
    expect(evaluateQuery(q, { ...sysmon, "event.code": "021" }).matched).toBe(false);
  });

  it("does not fire on Elastic's endpoint.events.api sample (Threat-Intelligence provider)", () => {
    const file = new URL(
      "../../../shared/datasets/elastic-endpoint-package/package/endpoint/data_stream/api/sample_event.json",
      import.meta.url,
    );
    const doc = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const r = evaluateQuery(q, doc);
    expect(r.matched).toBe(false);
    expect(describeFailure(r)[0].text).toBe('event.provider == "Microsoft-Windows-WMI-Activity"');
  });
});

describe("canonicalizeDocument does not copy or mutate what it need not", () => {
  it("returns nested documents as they are and leaves the input untouched when merging", async () => {
    const { canonicalizeDocument } = await import("./fields");
    const nested = { a: { b: 1 }, c: [{ d: 2 }] };
    expect(canonicalizeDocument(nested)).toBe(nested);
    const mixed = { a: { b: 1 }, "a.c": 2 };
    const snapshot = JSON.stringify(mixed);
    expect(canonicalizeDocument(mixed)).toEqual({ a: { b: 1, c: 2 } });
    expect(JSON.stringify(mixed)).toBe(snapshot);
  });
});

describe("wildcards with regex metacharacters in the literal parts", () => {
  it("matches patterns containing -, /, ., (, [ literally (unicode-mode RegExp)", async () => {
    const { compileWildcard } = await import("./wildcard");
    expect(compileWildcard("WS-*", false)("WS-017")).toBe(true);
    expect(compileWildcard("a/b.(c)[d]-?", true)("A/B.(C)[D]-X")).toBe(true);
    expect(compileWildcard("a.c", false)("abc")).toBe(false);
  });
});
