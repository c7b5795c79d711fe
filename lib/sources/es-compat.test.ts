import { describe, expect, it } from "vitest";
import { bulkResponse, normalizeShipperAuthorization, parseBulkBody, rootInfo } from "./es-compat";

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("shipper compatibility", () => {
  it("answers the handshake like Elasticsearch 8", () => {
    expect(rootInfo("u")).toMatchObject({
      version: { number: expect.stringMatching(/^8\./), build_flavor: "default" },
      tagline: "You Know, for Search",
    });
  });

  it("accepts the token wherever a shipper puts it", () => {
    expect(normalizeShipperAuthorization("ApiKey wmit_abc", "wmit_")).toBe("Bearer wmit_abc");
    expect(normalizeShipperAuthorization(`ApiKey ${b64("beats:wmit_abc")}`, "wmit_")).toBe("Bearer wmit_abc");
    expect(normalizeShipperAuthorization(`ApiKey ${b64("wmit_abc")}`, "wmit_")).toBe("Bearer wmit_abc");
    expect(normalizeShipperAuthorization(`Basic ${b64("beats:wmit_abc")}`, "wmit_")).toBe("Bearer wmit_abc");
    expect(normalizeShipperAuthorization(`Basic ${b64("elastic:changeme")}`, "wmit_")).toBe(
      `Basic ${b64("elastic:changeme")}`,
    );
    expect(normalizeShipperAuthorization(null, "wmit_")).toBeNull();
  });

  it("splits action/source pairs and refuses what it cannot take, item by item", () => {
    const body = [
      '{"create":{"_index":"winlogbeat-8"}}',
      '{"@timestamp":"2030-01-01T00:00:00Z"}',
      '{"index":{"_id":"7"}}',
      '{"@timestamp":"2030-01-01T00:00:00Z"}',
      '{"delete":{"_index":"x","_id":"1"}}',
      '{"update":{"_index":"x","_id":"1"}}',
      '{"doc":{}}',
      '{"create":{"_index":"x"}}',
      "{not json",
      "",
    ].join("\n");
    const items = parseBulkBody(body, "default-index");
    expect(items.map((i) => (i.ok ? `${i.op}:${i.index}:${i.id}` : `${i.op}:${i.status}`))).toEqual([
      "create:winlogbeat-8:null",
      "index:default-index:7",
      "delete:400",
      "update:400",
      "create:400",
    ]);
  });

  it("shapes the _bulk response: errors flag, 409 with version_conflict_engine_exception", () => {
    const r = bulkResponse(
      [
        { op: "create", index: "i", outcome: { status: 201, id: "a" } },
        { op: "create", index: "i", outcome: { status: 409, id: "b" } },
      ],
      3,
    );
    expect(r).toMatchObject({
      errors: true,
      took: 3,
      items: [
        { create: { status: 201, result: "created", _id: "a" } },
        { create: { status: 409, error: { type: "version_conflict_engine_exception" } } },
      ],
    });
    expect(bulkResponse([{ op: "index", index: "i", outcome: { status: 201, id: "a" } }], 1).errors).toBe(false);
  });
});
