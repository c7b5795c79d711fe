import { describe, expect, it } from "vitest";
import { valuesText } from "@/lib/hunt/table";
import {
  MAX_FIELD_COLUMNS,
  chosenFields,
  fieldOfColumn,
  matchesFieldSearch,
  resolveColumnPrefs,
  toggleFieldColumn,
} from "./field-columns";

const TABLE = ["time", "severity", "host"];

describe("field columns", () => {
  it("read a field from its column id, and nothing from other ids", () => {
    expect(fieldOfColumn("field:process.executable")).toBe("process.executable");
    expect(fieldOfColumn("field:@timestamp")).toBe("@timestamp");
    expect(fieldOfColumn("host")).toBeNull();
    expect(fieldOfColumn("field:a..b")).toBeNull();
    expect(fieldOfColumn("field:<img src=x>")).toBeNull();
  });

  it("keep the saved order with fields in their places and new table columns at the end", () => {
    const stored = { order: ["host", "field:process.executable", "gone", "time"], hidden: ["time", "gone"] };
    expect(resolveColumnPrefs(stored, TABLE)).toEqual({
      order: ["host", "field:process.executable", "time", "severity"],
      hidden: ["time"],
    });
    expect(resolveColumnPrefs(null, TABLE)).toEqual({ order: TABLE, hidden: [] });
    expect(chosenFields(stored)).toEqual(["process.executable"]);
  });

  it("add a field as the last column and take it away again, hidden mark included", () => {
    const base = { order: TABLE, hidden: ["severity"] };
    const added = toggleFieldColumn(base, "user.domain");
    expect(added.order).toEqual([...TABLE, "field:user.domain"]);
    const hidden = { ...added, hidden: [...added.hidden, "field:user.domain"] };
    expect(toggleFieldColumn(hidden, "user.domain")).toEqual(base);
  });

  it("stop at the limit of field columns", () => {
    let prefs = { order: TABLE, hidden: [] as string[] };
    for (let i = 0; i < MAX_FIELD_COLUMNS + 5; i++) prefs = toggleFieldColumn(prefs, `labels.f${i}`);
    expect(chosenFields(prefs)).toHaveLength(MAX_FIELD_COLUMNS);
  });

  it("search by every word of the query", () => {
    expect(matchesFieldSearch("winlog.event_data.Consumer", "event consumer")).toBe(true);
    expect(matchesFieldSearch("winlog.event_data.Consumer", "process")).toBe(false);
    expect(matchesFieldSearch("process.name", "")).toBe(true);
  });

  it("show a field's values as text: several joined, objects as JSON, nulls left out", () => {
    expect(valuesText(["a", 1, true, null, { b: "<i>" }])).toBe('a, 1, true, {"b":"<i>"}');
    expect(valuesText([])).toBe("");
  });
});
