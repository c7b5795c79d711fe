import { describe, expect, it } from "vitest";
import { formatCount } from "./count";
import { formatDuration, formatElapsed } from "./duration";
import { formatDate, formatRelative, formatTime } from "./time";

describe("formatTime", () => {
  const at = new Date("2026-12-03T08:09:48.123Z");
  it("writes UTC as the app always has", () => {
    expect(formatTime(at)).toBe("2026-12-03 08:09:48Z");
    expect(formatTime("2026-12-03T08:09:48Z")).toBe("2026-12-03 08:09:48Z");
    expect(formatTime(null)).toBe("—");
    expect(formatTime("not a date")).toBe("not a date");
  });
  it("writes the user's chosen zone with its name, across a date line", () => {
    expect(formatTime(at, "Europe/Berlin")).toBe("2026-12-03 09:09:48 GMT+1");
    expect(formatTime(at, "America/New_York")).toBe("2026-12-03 03:09:48 EST");
    expect(formatTime(new Date("2026-12-03T23:30:00Z"), "Asia/Tokyo")).toBe("2026-12-04 08:30:00 GMT+9");
    expect(formatDate(new Date("2026-12-03T23:30:00Z"), "Asia/Tokyo")).toBe("2026-12-04");
    expect(formatDate(at)).toBe("2026-12-03");
  });
});

describe("formatRelative", () => {
  const now = new Date("2026-12-03T12:00:00Z");
  it("picks the largest unit that fits", () => {
    expect(formatRelative(new Date("2026-12-03T11:59:30Z"), now)).toBe("30 seconds ago");
    expect(formatRelative(new Date("2026-12-03T11:57:00Z"), now)).toBe("3 minutes ago");
    expect(formatRelative(new Date("2026-12-03T14:00:00Z"), now)).toBe("in 2 hours");
    expect(formatRelative(new Date("2026-12-02T12:00:00Z"), now)).toBe("yesterday");
    expect(formatRelative(new Date("2026-11-12T12:00:00Z"), now)).toBe("3 weeks ago");
  });
});

describe("counts and durations", () => {
  it("groups thousands and picks singular or plural", () => {
    expect(formatCount(20000)).toBe("20,000");
    expect(formatCount(1, "alert")).toBe("1 alert");
    expect(formatCount(3, "alert")).toBe("3 alerts");
    expect(formatCount(2, "match", "matches")).toBe("2 matches");
  });
  it("writes people's time and machine time", () => {
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(750_000)).toBe("12.5 min");
    expect(formatDuration(null)).toBe("—");
    expect(formatElapsed(850)).toBe("850 ms");
    expect(formatElapsed(192_000)).toBe("3 min 12 s");
  });
});
