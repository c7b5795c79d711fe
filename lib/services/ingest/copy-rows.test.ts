import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/services/event-record";
import { CopyRows, parseRuns, SpareBuffers } from "@/lib/services/ingest/copy-rows";

const JOB = "0b7c6f2e-52a4-4c8e-9d43-1f6a2b3c4d5e";

function row(message: string, timestamp = "2024-03-01T12:34:56.789Z") {
  const document = { "@timestamp": timestamp, "host.name": "WKS-7", event: { code: "21" }, message };
  return toEventRow({ ok: true, position: { index: 0 }, document, original: document });
}

/** Reads COPY's binary data back: the header, then each row's fields as buffers (null for NULL). */
function decode(data: Buffer): (Buffer | null)[][] {
  expect(data.subarray(0, 11).toString("latin1")).toBe("PGCOPY\n\xff\r\n\0");
  expect(data.readInt32BE(11)).toBe(0); // flags
  expect(data.readInt32BE(15)).toBe(0); // header extension
  const rows: (Buffer | null)[][] = [];
  let at = 19;
  for (;;) {
    const fields = data.readInt16BE(at);
    at += 2;
    if (fields === -1) break;
    const values: (Buffer | null)[] = [];
    for (let f = 0; f < fields; f++) {
      const length = data.readInt32BE(at);
      at += 4;
      values.push(length === -1 ? null : data.subarray(at, at + length));
      if (length > 0) at += length;
    }
    rows.push(values);
  }
  expect(at).toBe(data.length); // the trailer ends the data
  return rows;
}

describe("COPY's binary format for event rows", () => {
  it("encodes each row's 15 columns: ids and ingested filled in at write time, times as microseconds since 2000", () => {
    const copy = new CopyRows(new SpareBuffers(), JOB);
    const a = row("first");
    const b = row("second ☃ \u{1F600}");
    copy.add(a);
    copy.add(b);
    const now = BigInt(Date.UTC(2024, 2, 2)) * 1000n + 123n;
    const rows = decode(copy.data(parseRuns("41-42", 2), now, [0, 1]));
    expect(rows).toHaveLength(2);
    const [first, second] = rows;
    expect(first).toHaveLength(15);
    expect(first[0]!.readBigInt64BE()).toBe(41n);
    expect(second[0]!.readBigInt64BE()).toBe(42n);
    expect(first[1]!.readBigInt64BE()).toBe(now - BigInt(Date.UTC(2000, 0, 1)) * 1000n);
    expect(first[2]!.toString("utf8")).toBe(a.fingerprint);
    expect(first[3]!.readBigInt64BE()).toBe(
      BigInt(Date.parse("2024-03-01T12:34:56.789Z") - Date.UTC(2000, 0, 1)) * 1000n,
    );
    expect(first[5]!.toString("utf8")).toBe("WKS-7");
    expect(first[6]).toBeNull(); // user_name
    expect(first[7]!.toString("utf8")).toBe("21");
    // jsonb: a version byte, then the JSON text as UTF-8
    expect(second[12]![0]).toBe(1);
    expect(JSON.parse(second[12]!.subarray(1).toString("utf8")).message).toBe("second ☃ \u{1F600}");
    expect(first[14]!.toString("hex")).toBe(JOB.replaceAll("-", ""));
  });

  it("writes the rows in the order asked, leaves out those not asked for, and reads fingerprints back", () => {
    const copy = new CopyRows(new SpareBuffers(), JOB);
    const rows = ["c", "a", "b"].map((m) => row(m));
    for (const r of rows) copy.add(r);
    expect(copy.fingerprints()).toEqual(rows.map((r) => r.fingerprint));
    const written = decode(copy.data(parseRuns("7-9", 3), 0n, [2, 0]));
    expect(written.map((r) => r[2]!.toString("utf8"))).toEqual([rows[2].fingerprint, rows[0].fingerprint]);
    expect(written.map((r) => r[0]!.readBigInt64BE())).toEqual([9n, 7n]); // ids belong to the rows in input order;
  });

  it("hashes equal fingerprints alike", () => {
    const copy = new CopyRows(new SpareBuffers(), JOB);
    copy.add(row("same"));
    copy.add(row("other"));
    copy.add(row("same"));
    const [h0, h1, h2] = copy.fingerprintHashes();
    expect(h0).toBe(h2);
    expect(h0).not.toBe(h1);
  });

  it("grows past its first buffer for large records", () => {
    const copy = new CopyRows(new SpareBuffers(), JOB);
    const big = "x".repeat(3 << 20);
    copy.add(row(big));
    copy.add(row(`${big}y`));
    const rows = decode(copy.data(parseRuns("1-2", 2), 0n, [0, 1]));
    expect(JSON.parse(rows[1][12]!.subarray(1).toString("utf8")).message).toBe(`${big}y`);
  });

  it("takes reserved ids as runs and refuses a count that does not match", () => {
    expect(parseRuns("5-7,10-10", 4)).toEqual([
      [5, 7],
      [10, 10],
    ]);
    expect(() => parseRuns("1-3", 4)).toThrow("reserved 3 ids for 4 rows");
  });
});
