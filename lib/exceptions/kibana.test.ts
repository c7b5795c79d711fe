import { describe, expect, it } from "vitest";
import {
  buildKibanaExport,
  caseInsensitiveWarnings,
  parseKibanaExport,
  sameAsImported,
  wildcardFromKibana,
  wildcardToKibana,
} from "./kibana";
import { suggestConditions, suggestName } from "./prefill";

// A hand-written export in the shape Kibana's "Export exception list" produces (list line, item
// lines, export details), per the export API docs' sample file.
const LIST = {
  _version: "WzgxLDFd",
  created_at: "2020-12-22T02:09:23.199Z",
  created_by: "elastic",
  description: "WMI tuning",
  id: "b590e8f0-43fa-11eb-ad0b-97969c856022",
  immutable: false,
  list_id: "4fcd2765-0ba8-4048-8a65-27afcab72b12",
  name: "Test Exception List",
  namespace_type: "single",
  os_types: [],
  tags: [],
  tie_breaker_id: "0437982d-4f48-4bcd-ab78-3a9b0696bae9",
  type: "detection",
  updated_at: "2020-12-22T02:09:23.257Z",
  updated_by: "elastic",
  version: 1,
};
const item = (item_id: string, entries: unknown[], extra: Record<string, unknown> = {}) => ({
  _version: "WzgyLDFd",
  comments: [
    { comment: "approved by CAB-123", created_at: "2020-12-22T02:10:00.000Z", created_by: "elastic", id: "c1" },
  ],
  created_at: "2020-12-22T02:09:40.000Z",
  created_by: "elastic",
  description: `why ${item_id}`,
  entries,
  id: `id-${item_id}`,
  item_id,
  list_id: LIST.list_id,
  name: `Item ${item_id}`,
  namespace_type: "single",
  os_types: ["windows"],
  tags: [],
  tie_breaker_id: "t",
  type: "simple",
  updated_at: "2020-12-22T02:09:40.000Z",
  updated_by: "elastic",
  ...extra,
});
const ITEMS = [
  item("sccm", [
    { field: "host.name", operator: "included", type: "match", value: "SCCM-01" },
    { field: "user.name", operator: "excluded", type: "match", value: "guest" },
  ]),
  item(
    "mgmt",
    [
      { field: "host.name", operator: "included", type: "match_any", value: ["A", "B"] },
      { field: "user.name", operator: "excluded", type: "match_any", value: ["x"] },
      {
        field: "process.executable",
        operator: "included",
        type: "wildcard",
        value: "C:\\\\Program Files\\\\Agent\\\\*.exe",
      },
      { field: "winlog.event_data.Filter", operator: "excluded", type: "wildcard", value: "*Bad*" },
      { field: "process.parent.name", operator: "included", type: "exists" },
      { field: "source.ip", operator: "excluded", type: "exists" },
    ],
    { expire_time: "2030-01-01T00:00:00.000Z" },
  ),
];
const SUMMARY = {
  exported_exception_list_count: 1,
  exported_exception_list_item_count: 2,
  missing_exception_list_item_count: 0,
  missing_exception_list_items: [],
  missing_exception_lists: [],
  missing_exception_lists_count: 0,
};
const ndjson = (lines: unknown[]) =>
  lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";

describe("Kibana import", () => {
  it("maps every entry type and operator", () => {
    const parsed = parseKibanaExport(ndjson([LIST, ...ITEMS, SUMMARY]));
    expect(parsed.errors).toEqual([]);
    expect(parsed.list).toMatchObject({ listId: LIST.list_id, name: "Test Exception List", line: 1 });
    expect(parsed.summary).toEqual({ line: 4, itemCount: 2 });
    expect(parsed.items.map((i) => i.itemId)).toEqual(["sccm", "mgmt"]);
    expect(parsed.items[0]).toMatchObject({
      name: "Item sccm",
      comment: "why sccm",
      enabled: true,
      expiresAt: null,
      line: 2,
    });
    expect(parsed.items[1].expiresAt?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(parsed.items[1].conditions).toEqual([
      { field: "host.name", operator: "is_one_of", values: ["A", "B"], caseSensitive: true },
      { field: "user.name", operator: "is_not_one_of", values: ["x"], caseSensitive: true },
      {
        field: "process.executable",
        operator: "matches",
        value: "C:\\Program Files\\Agent\\*.exe",
        caseSensitive: true,
      },
      { field: "winlog.event_data.Filter", operator: "does_not_match", value: "*Bad*", caseSensitive: true },
      { field: "process.parent.name", operator: "exists", caseSensitive: true },
      { field: "source.ip", operator: "does_not_exist", caseSensitive: true },
    ]);
    expect(parsed.items[0].dropped.comments).toHaveLength(1);
  });

  it("rejects list and nested entries, bad JSON and foreign lines with line numbers, keeping the good items", () => {
    const text = ndjson([
      LIST,
      ITEMS[0],
      item("vl", [{ field: "host.name", operator: "included", type: "list", list: { id: "hosts", type: "keyword" } }]),
      "{not json",
      item("nest", [{ field: "file.signature", type: "nested", entries: [] }]),
      { rule_id: "abc", name: "a rule" },
      item("esc", [{ field: "a", operator: "included", type: "wildcard", value: "lit\\*eral" }]),
      item("sccm", [{ field: "host.name", operator: "included", type: "match", value: "dup" }]),
      item("empty", []),
      SUMMARY,
    ]);
    const parsed = parseKibanaExport(text);
    expect(parsed.items.map((i) => i.itemId)).toEqual(["sccm"]);
    expect(parsed.errors.map((e) => [e.line, e.itemId])).toEqual([
      [3, "vl"],
      [4, undefined],
      [5, "nest"],
      [6, undefined],
      [7, "esc"],
      [8, "sccm"],
      [9, "empty"],
    ]);
    expect(parsed.errors[0].message).toMatch(/"list" entries/);
    expect(parsed.errors[2].message).toMatch(/"nested" entries/);
    expect(parsed.errors[3].message).toMatch(/a rule/);
    expect(parsed.errors[4].message).toMatch(/literal "\*"/);
  });
});

describe("Kibana round trip", () => {
  it("import → export keeps item_id, name, description, entries and expire_time", () => {
    const parsed = parseKibanaExport(ndjson([LIST, ...ITEMS, SUMMARY]));
    const exported = buildKibanaExport(
      parsed.items.map((i) => ({ ...i, id: `uuid-${i.itemId}` })),
      { listId: LIST.list_id, name: LIST.name, description: LIST.description },
    );
    const lines = exported
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({
      list_id: LIST.list_id,
      type: "detection",
      namespace_type: "single",
      name: LIST.name,
    });
    expect(lines[3]).toMatchObject({ exported_exception_list_count: 1, exported_exception_list_item_count: 2 });
    const kept = (i: Record<string, unknown>) => ({
      item_id: i.item_id,
      list_id: i.list_id,
      name: i.name,
      description: i.description,
      entries: i.entries,
      expire_time: i.expire_time,
      type: i.type,
    });
    expect(lines.slice(1, 3).map(kept)).toEqual(ITEMS.map(kept));
    // and back again: identical conditions
    const again = parseKibanaExport(exported);
    expect(again.errors).toEqual([]);
    expect(again.items.map((i) => i.conditions)).toEqual(parsed.items.map((i) => i.conditions));
  });

  it("case-insensitive and disabled exceptions survive through tags", () => {
    const exported = buildKibanaExport([
      {
        id: "u1",
        itemId: "",
        name: "ci",
        comment: "",
        enabled: false,
        expiresAt: null,
        conditions: [
          { field: "host.name", operator: "is", value: "ws", caseSensitive: true },
          { field: "user.name", operator: "matches", value: "svc_*", caseSensitive: false },
        ],
      },
    ]);
    const line = JSON.parse(exported.split("\n")[1]);
    expect(line.item_id).toBe("u1");
    expect(line.tags).toEqual(["wmi-triage:case-insensitive:1", "wmi-triage:disabled"]);
    const back = parseKibanaExport(exported).items[0];
    expect(back.enabled).toBe(false);
    expect(back.conditions.map((c) => c.caseSensitive)).toEqual([true, false]);
  });

  it("escapes backslashes in wildcard values both ways", () => {
    expect(wildcardToKibana("C:\\Windows\\*")).toBe("C:\\\\Windows\\\\*");
    expect(wildcardFromKibana("C:\\\\Windows\\\\*")).toEqual({ ok: true, pattern: "C:\\Windows\\*" });
    expect(wildcardFromKibana("end\\")).toMatchObject({ ok: false });
  });
});

describe("prefill from an alert's event", () => {
  it("suggests the identifying fields present, consumer and host selected", () => {
    const doc = {
      host: { name: "MSEDGEWIN10" },
      user: { name: "IEUser" },
      winlog: { event_data: { Consumer: '"x"', Filter: '"f"', Operation: "Created" } },
    };
    const s = suggestConditions(doc);
    expect(s.map((x) => [x.condition.field, x.selected])).toEqual([
      ["winlog.event_data.Consumer", true],
      ["host.name", true],
      ["user.name", false],
      ["winlog.event_data.Filter", false],
    ]);
    expect(s[0].condition).toEqual({
      field: "winlog.event_data.Consumer",
      operator: "is",
      value: '"x"',
      caseSensitive: true,
    });
    expect(suggestName({ fpLabel: "Administrative scripts or tools", consumerName: "c", hostName: "h" })).toBe(
      "Administrative scripts or tools: consumer c on h",
    );
  });
});

describe("export warnings and re-import sameness", () => {
  const base = {
    id: "row-1",
    itemId: "item-1",
    name: "svc accounts",
    comment: "",
    enabled: true,
    expiresAt: null,
    conditions: [
      { field: "host.name", operator: "is" as const, value: "WS", caseSensitive: true },
      { field: "user.name", operator: "matches" as const, value: "svc_*", caseSensitive: false },
      { field: "source.ip", operator: "does_not_exist" as const, caseSensitive: false },
    ],
  };

  it("names the items whose value conditions are case-insensitive (exists has no case)", () => {
    expect(
      caseInsensitiveWarnings([base, { ...base, id: "row-2", itemId: "item-2", conditions: [base.conditions[0]] }]),
    ).toEqual([{ itemId: "item-1", name: "svc accounts", fields: ["user.name"] }]);
  });

  it("an exported item parsed back is the same as the stored one; any kept field changed is not", () => {
    const [item] = parseKibanaExport(buildKibanaExport([base])).items;
    expect(sameAsImported(base, item)).toBe(true);
    expect(sameAsImported(base, { ...item, name: "other" })).toBe(false);
    expect(sameAsImported(base, { ...item, enabled: false })).toBe(false);
    expect(sameAsImported(base, { ...item, expiresAt: new Date("2031-01-01T00:00:00Z") })).toBe(false);
    expect(sameAsImported(base, { ...item, conditions: item.conditions.slice(0, 2) })).toBe(false);
    expect(
      sameAsImported(base, {
        ...item,
        conditions: [{ ...item.conditions[0], caseSensitive: false }, ...item.conditions.slice(1)],
      }),
    ).toBe(false);
  });
});
