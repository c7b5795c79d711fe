import { describe, expect, it } from "vitest";
import { exactFilterValue, parseFilterValue, sha256Hex } from "./filter-value";

describe("filter values in the alerts URL", () => {
  it("reads KQL-like text: * is a wildcard, \\* a literal star, LIKE's own % and _ match themselves", () => {
    expect(parseFilterValue("MSEDGE*")).toEqual({ kind: "like", pattern: "MSEDGE%" });
    expect(parseFilterValue("*wmi*persist*")).toEqual({ kind: "like", pattern: "%wmi%persist%" });
    expect(parseFilterValue("100%_x*")).toEqual({ kind: "like", pattern: "100\\%\\_x%" });
    expect(parseFilterValue("a\\*b")).toEqual({ kind: "equals", value: "a*b" });
    expect(parseFilterValue("CORP\\\\admin")).toEqual({ kind: "equals", value: "CORP\\admin" });
    expect(parseFilterValue("msedgewin10")).toEqual({ kind: "equals", value: "msedgewin10" });
  });

  it("writes a value the UI took from an event so that it matches exactly that value", () => {
    for (const v of ["MSEDGEWIN10", "evil*name", "C:\\x\\y", "SCM Event Log Consumer"]) {
      const match = parseFilterValue(exactFilterValue(v));
      expect(match).toEqual({ kind: "equals", value: v });
    }
  });

  it("sends a long value as sha256:<hex>, short enough for any URL, and matches it exactly", () => {
    const long = `c${"A".repeat(20_000)}`;
    const written = exactFilterValue(long);
    expect(written).toBe(`sha256:${sha256Hex(long)}`);
    expect(written.length).toBe(71);
    expect(parseFilterValue(written)).toEqual({ kind: "sha256", hex: sha256Hex(long) });
    // the known SHA-256 of "abc"
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("hashes values whose ends are whitespace or that hide invisible characters (look-alikes stay apart)", () => {
    for (const v of ["Updater ", "Up\u200bdater", "Updater\u00a0"])
      expect(exactFilterValue(v)).toBe(`sha256:${sha256Hex(v)}`);
  });

  it("never drops a very long typed value: it filters by its hash instead", () => {
    const typed = "x".repeat(5000);
    expect(parseFilterValue(typed)).toEqual({ kind: "sha256", hex: sha256Hex(typed) });
  });
});
