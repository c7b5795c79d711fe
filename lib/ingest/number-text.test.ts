import { describe, expect, it } from "vitest";
import { holdsNumber, numberTokenValue, quoteInexactNumbers } from "@/lib/ingest/number-text";

describe("quoteInexactNumbers", () => {
  it("leaves text whose numbers JavaScript writes back as they are (the same string)", () => {
    const line = '{"event":{"code":21},"winlog":{"record_id":1234567,"version":"10.0.1"},"n":-5,"ok":true,"x":null}';
    expect(quoteInexactNumbers(line)).toBe(line);
  });

  it("quotes fractions, exponents, -0 and numbers beyond double precision, as Elasticsearch's keyword sees them", () => {
    expect(JSON.parse(quoteInexactNumbers('{"event":{"code":21.0}}'))).toEqual({ event: { code: "21.0" } });
    expect(JSON.parse(quoteInexactNumbers("[2.1e1, 1E5, -0, 12345678901234567890, 0.5, 1.5e300, 1e21]"))).toEqual([
      "2.1e1",
      "1E5",
      "-0",
      "12345678901234567890",
      0.5,
      "1.5e300",
      "1e21",
    ]);
  });

  it("does not touch digits inside strings, escaped quotes included", () => {
    const line = '{"a":"21.0","b":"say \\"1.0\\" \\\\","c":1.0}';
    expect(JSON.parse(quoteInexactNumbers(line))).toEqual({ a: "21.0", b: 'say "1.0" \\', c: "1.0" });
  });
});

describe("numberTokenValue", () => {
  it("keeps exact numbers as numbers and the others as their text", () => {
    expect(numberTokenValue("21")).toBe(21);
    expect(numberTokenValue("21.0")).toBe("21.0");
    expect(numberTokenValue("-0")).toBe("-0");
  });
});

describe("quoteInexactNumbers on whitespace and nesting", () => {
  it("finds numbers after spaces, in arrays and at the end of objects", () => {
    expect(JSON.parse(quoteInexactNumbers('{ "a" : [ 1 , 1.0 ], "b": -0 , "c" :2e3}'))).toEqual({
      a: [1, "1.0"],
      b: "-0",
      c: "2e3",
    });
    expect(quoteInexactNumbers('{"ip":"10.0.0.1","v":"1.0","n":0}')).toBe('{"ip":"10.0.0.1","v":"1.0","n":0}');
  });
});

describe("holdsNumber", () => {
  it("looks through objects and arrays", () => {
    expect(holdsNumber({ a: { b: ["x", { c: 1 }] } })).toBe(true);
    expect(holdsNumber({ a: { b: ["x", { c: "1" }] }, d: null, e: true })).toBe(false);
  });
});
