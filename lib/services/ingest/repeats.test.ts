import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/services/event-record";
import { CopyRows, SpareBuffers } from "@/lib/services/ingest/copy-rows";
import { markRepeats } from "@/lib/services/ingest/repeats";

const JOB = "0b7c6f2e-52a4-4c8e-9d43-1f6a2b3c4d5e";

function batchOf(messages: string[]) {
  const copy = new CopyRows(new SpareBuffers(), JOB);
  for (const message of messages) {
    const document = { "@timestamp": "2024-03-01T00:00:00Z", message };
    copy.add(toEventRow({ ok: true, position: { index: 0 }, document, original: document }));
  }
  return { size: messages.length, copy, fresh: new Uint8Array(messages.length) };
}

describe("repeats within an ingest", () => {
  it("stores every row of a batch without repeats", () => {
    const batch = batchOf(["a", "b", "c"]);
    expect(markRepeats(batch, null)).toBeNull();
    expect([...batch.fresh]).toEqual([1, 1, 1]);
  });

  it("keeps the first of equal events, as ON CONFLICT DO NOTHING in input order would", () => {
    const batch = batchOf(["a", "b", "a", "c", "b", "a"]);
    expect(markRepeats(batch, null)).toBeNull();
    expect([...batch.fresh]).toEqual([1, 1, 0, 1, 0, 0]);
  });

  it("names the rows that repeat the batch still being written before this one", () => {
    const earlier = batchOf(["x", "y"]);
    const batch = batchOf(["a", "y", "b", "x", "x"]);
    const repeats = markRepeats(batch, earlier.copy);
    expect(repeats && [...repeats]).toEqual([0, 1, 0, 1, 1]);
    // the repeated x within this batch is left out here already; the others wait for the earlier batch
    expect([...batch.fresh]).toEqual([1, 1, 1, 1, 0]);
  });

  it("finds nothing to wait for when the earlier batch shares no event", () => {
    const earlier = batchOf(["x", "y"]);
    const batch = batchOf(["a", "b"]);
    expect(markRepeats(batch, earlier.copy)).toBeNull();
    expect([...batch.fresh]).toEqual([1, 1]);
  });
});
