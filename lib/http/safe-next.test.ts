import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next";

describe("safeNextPath", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeNextPath("/alerts?status=open&q=a%20b#top")).toBe("/alerts?status=open&q=a%20b#top");
    expect(safeNextPath("/cases/123")).toBe("/cases/123");
  });

  it.each([
    "/\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "///evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "evil.example",
    " /alerts",
    "",
    null,
    undefined,
    `/${"a".repeat(3000)}`,
  ])("sends %j to /", (next) => {
    expect(safeNextPath(next)).toBe("/");
  });

  it("never leaves the origin whatever the input", () => {
    const chars = ["/", "\\", ".", ":", "@", "%", "2", "f", "5", "c", "\t", "?", "#", "e", " "];
    let seed = 7;
    for (let i = 0; i < 5000; i++) {
      let s = "";
      for (let j = 0; j < 8; j++) s += chars[(seed = (seed * 48271) % 2147483647) % chars.length];
      const out = safeNextPath(s);
      expect(new URL(out, "http://app.local").origin, JSON.stringify(s)).toBe("http://app.local");
      expect(out.startsWith("//") || out.includes("\\"), JSON.stringify(s)).toBe(false);
    }
  });
});
