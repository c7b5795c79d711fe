import { describe, expect, it } from "vitest";
import { cellText, csvCell, parseColumns, parseSort, sortRows, toCsv, toNdjson } from "./table";

describe("hunt table", () => {
  it("takes any ECS field as a column and ignores what is not a field name", () => {
    expect(parseColumns("process.parent.name, winlog.event_data.Consumer,<script>")).toEqual([
      "process.parent.name",
      "winlog.event_data.Consumer",
    ]);
    expect(parseColumns("")).toContain("@timestamp");
  });

  it("shows multi-valued fields and dotted keys as text", () => {
    expect(cellText({ event: { category: ["process", "library"] } }, "event.category")).toBe("process, library");
    expect(cellText({ "process.pid": 4 }, "process.pid")).toBe("4");
    expect(cellText({}, "x")).toBe("");
  });

  it("sorts numbers numerically, text by code points, missing last, both directions", () => {
    const rows = [{ n: 10 }, { n: 9 }, {}, { n: 100 }];
    expect(sortRows(rows, (r) => r, parseSort("n")).map((r) => r.n)).toEqual([9, 10, 100, undefined]);
    expect(sortRows(rows, (r) => r, parseSort("-n")).map((r) => r.n)).toEqual([100, 10, 9, undefined]);
    expect(parseSort("-@timestamp")).toEqual({ field: "@timestamp", dir: "desc" });
  });

  it("exports CSV with quoting and defused formulas, and NDJSON one document a line", () => {
    expect(csvCell('cmd.exe /c "x, y"')).toBe('"cmd.exe /c ""x, y"""');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("-EncodedCommand")).toBe("'-EncodedCommand");
    const docs = [{ a: "x", b: [1, 2] }, { a: "line\nbreak" }];
    expect(toCsv(["a", "b"], docs)).toBe('a,b\r\nx,"1, 2"\r\n"line\nbreak",\r\n');
    expect(
      toNdjson(docs)
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    ).toEqual(docs);
  });
});
