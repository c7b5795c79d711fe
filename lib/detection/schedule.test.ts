import { describe, expect, it } from "vitest";
import {
  intervalToCron,
  parseInterval,
  planBackfillWindows,
  planScheduledWindow,
  resolveFrom,
} from "@/lib/detection/schedule";

const now = new Date("2026-11-28T12:00:00.000Z");

describe("rule schedule", () => {
  it("reads Kibana intervals and turns them into crontab lines", () => {
    expect(parseInterval("5m")).toBe(300_000);
    expect(parseInterval("1h")).toBe(3_600_000);
    expect(intervalToCron("5m")).toBe("*/5 * * * *");
    expect(intervalToCron("2h")).toBe("0 */2 * * *");
    expect(() => parseInterval("5 minutes")).toThrow(/invalid rule interval/);
  });

  it("resolves now-9m with date math against the run's own clock", () => {
    expect(resolveFrom("now-9m", now).toISOString()).toBe("2026-11-28T11:51:00.000Z");
    expect(resolveFrom("now-1d/d", now).toISOString()).toBe("2026-11-27T00:00:00.000Z");
  });

  it("looks back 9 minutes every run, overlapping the previous window by 4", () => {
    const w = planScheduledWindow({ now, from: "now-9m", lastSucceededEnd: new Date("2026-11-28T11:55:00Z") });
    expect(w).toEqual({ start: new Date("2026-11-28T11:51:00Z"), end: now, gapCoveredMs: 0 });
  });

  it("widens the window back to the last successful run after a gap, within a limit", () => {
    const w = planScheduledWindow({ now, from: "now-9m", lastSucceededEnd: new Date("2026-11-28T11:30:00Z") });
    expect(w.start.toISOString()).toBe("2026-11-28T11:30:00.000Z");
    expect(w.gapCoveredMs).toBe(21 * 60_000);
    const capped = planScheduledWindow({
      now,
      from: "now-9m",
      lastSucceededEnd: new Date("2026-11-01T00:00:00Z"),
      maxGapMs: 3_600_000,
    });
    expect(capped.start.toISOString()).toBe("2026-11-28T11:00:00.000Z");
  });

  it("splits a backfill range into contiguous windows", () => {
    const windows = planBackfillWindows(new Date("2026-11-28T10:00:00Z"), new Date("2026-11-28T10:12:00Z"), 300_000);
    expect(windows.map((w) => [w.start.toISOString().slice(11, 16), w.end.toISOString().slice(11, 16)])).toEqual([
      ["10:00", "10:05"],
      ["10:05", "10:10"],
      ["10:10", "10:12"],
    ]);
    expect(() => planBackfillWindows(now, now, 300_000)).toThrow(/must end after/);
  });
});
