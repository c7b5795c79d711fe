import { describe, expect, it } from "vitest";
import { fingerprintOf, jsonbSafe, toEventRow } from "@/lib/services/event-record";

describe("event rows", () => {
  it("replaces U+0000, which jsonb cannot hold, and nothing else", () => {
    expect(jsonbSafe(JSON.stringify({ a: "x\u0000y" }))).toBe('{"a":"x\\ufffdy"}');
    // a literal backslash followed by "u0000" is text, not a NUL
    expect(jsonbSafe(JSON.stringify({ a: "\\u0000" }))).toBe('{"a":"\\\\u0000"}');
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
