import { describe, expect, it } from "vitest";
import { advanceCheckpoint, planPollWindows } from "./poll-window";

const now = new Date("2030-01-01T12:00:00Z");
const opts = { overlapMs: 2 * 60_000, initialLookbackMs: 3 * 3600_000, maxWindowMs: 3600_000 };
const iso = (d: Date) => d.toISOString();

describe("poll windows", () => {
  it("re-reads the overlap before the checkpoint", () => {
    const w = planPollWindows(new Date("2030-01-01T11:59:00Z"), now, opts);
    expect(w.map((x) => [iso(x.from), iso(x.to), x.last])).toEqual([
      ["2030-01-01T11:57:00.000Z", "2030-01-01T12:00:00.000Z", true],
    ]);
  });

  it("walks a long outage window by window, without gaps", () => {
    const w = planPollWindows(new Date("2030-01-01T09:30:00Z"), now, opts);
    expect(w.map((x) => iso(x.from))).toEqual([
      "2030-01-01T09:28:00.000Z",
      "2030-01-01T10:28:00.000Z",
      "2030-01-01T11:28:00.000Z",
    ]);
    for (let i = 1; i < w.length; i++) expect(w[i].from).toEqual(w[i - 1].to);
    expect(w.at(-1)).toMatchObject({ to: now, last: true });
  });

  it("starts a new source at the initial look-back", () => {
    expect(iso(planPollWindows(null, now, opts)[0].from)).toBe("2030-01-01T09:00:00.000Z");
  });

  it("never moves the checkpoint backwards", () => {
    expect(advanceCheckpoint(now, new Date("2030-01-01T11:00:00Z"))).toBe(now);
    expect(advanceCheckpoint(null, now)).toBe(now);
  });
});
