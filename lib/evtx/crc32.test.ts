import { describe, it, expect } from "vitest";
import { computeCrc32, updateCrc32 } from "./crc32";

describe("computeCrc32", () => {
  it("matches the IEEE check value for '123456789'", () => {
    expect(computeCrc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });
  it("chains over two ranges like one contiguous range", () => {
    const bytes = new TextEncoder().encode("ElfChnk-header-and-rest");
    expect(updateCrc32(computeCrc32(bytes, 0, 7), bytes, 7)).toBe(computeCrc32(bytes));
  });
});
