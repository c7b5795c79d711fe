import { describe, expect, it } from "vitest";
import { fingerprintOf, jsonbSafe, storableJson, toEventRow } from "@/lib/services/event-record";

describe("event rows", () => {
  it("replaces U+0000, which jsonb cannot hold, and nothing else", () => {
    expect(jsonbSafe(JSON.stringify({ a: "x\u0000y" }))).toBe('{"a":"x\\ufffdy"}');
    // a literal backslash followed by "u0000" is text, not a NUL
    expect(jsonbSafe(JSON.stringify({ a: "\\u0000" }))).toBe('{"a":"\\\\u0000"}');
  });

  it("replaces UTF-16 surrogates that are not a pair, counts every replacement, and keeps pairs and escaped text", () => {
    expect(storableJson(JSON.stringify({ a: "x\ud800y" }))).toEqual({ json: '{"a":"x\\ufffdy"}', replaced: 1 });
    expect(storableJson('{"a":"\\uDC00\\uD83D","b":"\\u0000"}')).toEqual({
      json: '{"a":"\\ufffd\\ufffd","b":"\\ufffd"}',
      replaced: 3,
    });
    // a pair is one character (U+1F600); a low surrogate before a high one is two lone ones
    expect(storableJson('{"a":"\\ud83d\\ude00"}')).toEqual({ json: '{"a":"\\ud83d\\ude00"}', replaced: 0 });
    expect(storableJson('{"a":"\\ude00\\ud83d"}').replaced).toBe(2);
    // an escaped backslash followed by "ud800" is text
    expect(storableJson(JSON.stringify({ a: "\\ud800" }))).toEqual({ json: '{"a":"\\\\ud800"}', replaced: 0 });
    expect(storableJson(JSON.stringify({ a: "C:\\users\\x" })).replaced).toBe(0);
  });

  it("a row counts the replacements in its document and keeps text columns free of U+0000", () => {
    const row = toEventRow({
      ok: true,
      document: { "@timestamp": "2024-01-01T00:00:00Z", host: { name: "pc\u0000" }, v: "\ud800" },
      position: { index: 0, line: 1 },
    } as never);
    expect(row.replaced).toBe(2);
    expect(row.hostName).toBe("pc\ufffd");
    expect(JSON.parse(row.docJson)).toMatchObject({ host: { name: "pc\ufffd" }, v: "\ufffd" });
  });

  it("fingerprints by _index/_id, else by channel+computer+record id, else by content", () => {
    expect(fingerprintOf({}, "{}", "logs-x", "abc")).toBe("es:logs-x/abc");
    expect(fingerprintOf({ winlog: { channel: "Security", computer_name: "PC", record_id: "7" } }, "{}")).toBe(
      "win:Security|PC|7",
    );
    expect(fingerprintOf({ a: 1 }, '{"a":1}')).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("takes the window time from event.ingested when present, else @timestamp, and keeps ECS originals once", () => {
    const document = {
      "@timestamp": "2024-01-01T00:00:00Z",
      "event.ingested": "2024-01-02T00:00:00Z",
      "host.name": "h",
    };
    const row = toEventRow({ ok: true, position: { index: 0 }, document, original: document });
    expect(row.detectTime.toISOString()).toBe("2024-01-02T00:00:00.000Z");
    expect(row.hostName).toBe("h");
    expect(row.doc).toEqual({
      "@timestamp": "2024-01-01T00:00:00Z",
      event: { ingested: "2024-01-02T00:00:00Z" },
      host: { name: "h" },
    });
    expect(row.originalJson).toBeNull();
    const hit = { _index: "i", _id: "1", _source: document };
    expect(
      JSON.parse(
        toEventRow({ ok: true, position: { index: 0 }, document, original: hit, sourceId: "1", sourceIndex: "i" })
          .originalJson!,
      ),
    ).toEqual({ _index: "i", _id: "1" });
  });

  it("refuses times PostgreSQL cannot store (outside the years 1 to 9999), naming the field", () => {
    const row = (doc: Record<string, unknown>) => () =>
      toEventRow({ ok: true, position: { index: 0 }, document: doc, original: doc });
    expect(row({ "@timestamp": "+010000-01-01T00:00:00Z" })).toThrow(
      'field @timestamp "+010000-01-01T00:00:00Z" is outside the years 1 to 9999',
    );
    expect(row({ "@timestamp": "2024-01-01T00:00:00Z", event: { ingested: "-000001-01-01T00:00:00Z" } })).toThrow(
      /field event\.ingested .* outside the years 1 to 9999/,
    );
    expect(row({ "@timestamp": "0001-01-01T00:00:00Z" })().timestamp.toISOString()).toBe("0001-01-01T00:00:00.000Z");
    expect(row({ "@timestamp": "9999-12-31T23:59:59.999Z" })().timestamp.toISOString()).toBe(
      "9999-12-31T23:59:59.999Z",
    );
  });

  it("refuses a document nested deeper than 100 levels (it would exhaust the stack further on)", () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 20000; i++) deep = { a: deep };
    const document = { "@timestamp": "2024-01-01T00:00:00Z", deep };
    expect(() => toEventRow({ ok: true, position: { index: 0 }, document, original: null })).toThrow(
      "document nested more than 100 levels deep",
    );
  });
});
