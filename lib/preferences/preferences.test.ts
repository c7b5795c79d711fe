import { describe, expect, it } from "vitest";
import { DEFAULT_PREFERENCES, themeClass, timeZoneSchema, toPreferences } from "./preferences";

describe("preferences", () => {
  it("accepts IANA zones and names what is wrong otherwise", () => {
    expect(timeZoneSchema.parse("Europe/Berlin")).toBe("Europe/Berlin");
    const bad = timeZoneSchema.safeParse("Mars/Olympus");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toMatch(/unknown time zone/);
  });
  it("falls back to the defaults for a missing row or values that no longer validate", () => {
    expect(toPreferences(null)).toEqual(DEFAULT_PREFERENCES);
    expect(toPreferences({ theme: "sepia", timeZone: "Nowhere/Land", alertColumns: { order: 1 } })).toEqual(
      DEFAULT_PREFERENCES,
    );
    expect(
      toPreferences({ theme: "dark", timeZone: "Asia/Tokyo", alertColumns: { order: ["host"], hidden: [] } }),
    ).toEqual({
      theme: "dark",
      timeZone: "Asia/Tokyo",
      alertColumns: { order: ["host"], hidden: [] },
    });
  });
  it("maps a theme to the <html> class the dark palette keys on", () => {
    expect(themeClass("dark")).toBe("dark");
    expect(themeClass("light")).toBe("light");
    expect(themeClass("system")).toBe("theme-system");
  });
});
