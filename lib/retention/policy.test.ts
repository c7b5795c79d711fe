import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION_DAYS, evidenceRules, idBatches, retentionCutoff, retentionDaysSchema } from "./policy";

describe("retentionCutoff", () => {
  it("is whole days before now", () => {
    expect(retentionCutoff(new Date("2026-06-01T12:00:00Z"), DEFAULT_RETENTION_DAYS).toISOString()).toBe(
      "2026-03-03T12:00:00.000Z",
    );
    expect(retentionCutoff(new Date("2026-06-01T00:00:00Z"), 1).toISOString()).toBe("2026-05-31T00:00:00.000Z");
  });

  it("refuses periods that are not whole days from 1 to 3650, saying why", () => {
    expect(() => retentionCutoff(new Date(), 0)).toThrow(/at least 1 day/);
    expect(() => retentionCutoff(new Date(), 2.5)).toThrow(/whole number/);
    expect(() => retentionCutoff(new Date(), 3651)).toThrow(/at most 3650/);
    expect(retentionDaysSchema.safeParse("abc").success).toBe(false);
    expect(retentionDaysSchema.parse("30")).toBe(30);
  });
});

describe("idBatches", () => {
  it("covers the range exactly once in batch-wide inclusive windows", () => {
    expect(idBatches(1n, 10n, 4)).toEqual([
      [1n, 4n],
      [5n, 8n],
      [9n, 10n],
    ]);
    expect(idBatches(7n, 7n, 100)).toEqual([[7n, 7n]]);
    expect(idBatches(5n, 4n, 10)).toEqual([]);
    expect(() => idBatches(1n, 2n, 0)).toThrow(RangeError);
  });
});

describe("evidenceRules", () => {
  it("names the alert page's widest timeline window", () => {
    expect(evidenceRules(1440).join("\n")).toMatch(/±1 day of the alert/);
    expect(evidenceRules(240).join("\n")).toMatch(/±4 hours of the alert/);
  });
});
