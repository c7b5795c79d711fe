import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it, expect } from "vitest";
import { computeCrc32, updateCrc32 } from "./crc32";
import {
  CHUNK_SIZE,
  FILE_HEADER_BLOCK_SIZE,
  parseEvtxBuffer,
  parseEvtxRecords,
  type EvtxRecordResult,
  type EvtxSummary,
} from "./reader";

const DATASETS = path.resolve(process.cwd(), "../shared/datasets");
const PANACHE = path.join(DATASETS, "evtx-attack-samples/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx");
const POWERLURK = path.join(
  DATASETS,
  "evtx-to-mitre-attack/TA0003-Persistence/T1546-Event Triggered Execution/ID800-4103-4104-WMI registration via PowerLurk.evtx",
);
const WMI_SYSMON = path.join(DATASETS, "evtx-attack-samples/Persistence/sysmon_20_21_1_CommandLineEventConsumer.evtx");

const load = (file: string) => new Uint8Array(readFileSync(file));
type Ok = Extract<EvtxRecordResult, { ok: true }>;
const oks = (rs: EvtxRecordResult[]) => rs.filter((r): r is Ok => r.ok);
const fails = (rs: EvtxRecordResult[]) => rs.filter((r) => !r.ok);

async function* pieces(bytes: Uint8Array, size: number, pulled?: { n: number }): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) {
    const p = bytes.subarray(i, i + size);
    if (pulled) pulled.n += p.length;
    yield p;
  }
}

async function collect(
  source: AsyncIterable<Uint8Array>,
): Promise<{ records: EvtxRecordResult[]; summary?: EvtxSummary }> {
  const records: EvtxRecordResult[] = [];
  let summary: EvtxSummary | undefined;
  for await (const r of parseEvtxRecords(source, { onSummary: (s) => (summary = s) })) records.push(r);
  return { records, summary };
}

/** Re-seals a chunk's data CRC after a deliberate edit, so only the intended check fails. */
function resealChunk(bytes: Uint8Array, chunkIndex: number): void {
  const base = FILE_HEADER_BLOCK_SIZE + chunkIndex * CHUNK_SIZE;
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  const free = dv.getUint32(base + 48, true);
  dv.setUint32(base + 52, computeCrc32(bytes, base + 512, base + free), true);
  dv.setUint32(base + 124, updateCrc32(computeCrc32(bytes, base, base + 120), bytes, base + 128, base + 512), true);
}

describe("parseEvtxBuffer on an intact file", () => {
  const { records, summary } = parseEvtxBuffer(load(PANACHE));

  it("reads every record of every chunk with no damage", () => {
    expect(fails(records)).toEqual([]);
    expect(summary.damage).toEqual([]);
    expect(summary.header.checksumOk).toBe(true);
    expect(summary.chunksRead).toBeGreaterThan(1);
    expect(summary.recordsOk).toBe(records.length);
    expect(records.length).toBeGreaterThan(500);
  });

  it("renders System fields and EventData the way Windows does", () => {
    const r = oks(records).find((x) => x.event.system.eventRecordId === 3572)!;
    expect(r.event.system).toMatchObject({
      providerName: "Microsoft-Windows-Sysmon",
      providerGuid: "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}",
      eventId: 1,
      keywords: "0x8000000000000000",
      systemTime: "2019-07-19T14:42:51.4462809Z",
      processId: 2796,
      threadId: 3592,
      channel: "Microsoft-Windows-Sysmon/Operational",
      computer: "MSEDGEWIN10",
      userId: "S-1-5-18",
    });
    expect(r.event.eventData).toMatchObject({
      RuleName: "",
      ProcessGuid: "{747F3D96-D6EB-5D31-0000-0010E0252500}",
      CommandLine: "consent.exe 4516 288 0000023C0CA21C70",
      LogonId: "0x3e7",
      Product: "Microsoft® Windows® Operating System",
    });
    expect(r.xml).toContain('<TimeCreated SystemTime="2019-07-19T14:42:51.4462809Z"/>');
    expect(r.xml).toContain('<Data Name="Image">C:\\Windows\\System32\\consent.exe</Data>');
    expect(r.xml).toContain("<Correlation/>");
    expect(r.written).toMatch(/^2019-07-19T14:42:5\d\.\d{7}Z$/);
  });
});

describe("parseEvtxRecords streaming", () => {
  it("gives the same records whatever the piece size", async () => {
    const bytes = load(PANACHE);
    const whole = parseEvtxBuffer(bytes).records;
    for (const size of [1000, 65536, 200_000]) {
      const { records } = await collect(pieces(bytes, size));
      expect(records.length).toBe(whole.length);
      expect(records.map((r) => (r.ok ? r.xml : r.reason))).toEqual(whole.map((r) => (r.ok ? r.xml : r.reason)));
    }
  });

  it("pulls no more than the header block and one chunk before yielding the first record", async () => {
    const pulled = { n: 0 };
    const it = parseEvtxRecords(pieces(load(PANACHE), 4096, pulled))[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(pulled.n).toBeLessThanOrEqual(FILE_HEADER_BLOCK_SIZE + CHUNK_SIZE);
    await it.return?.(undefined);
  });

  it("rejects input that is not EVTX with a clear error", async () => {
    const notEvtx = new TextEncoder().encode("MZ this is a PE file, not an event log".padEnd(5000, "."));
    expect(() => parseEvtxBuffer(notEvtx)).toThrow("not an EVTX file: bad magic at offset 0");
    await expect(collect(pieces(notEvtx, 512))).rejects.toThrow("not an EVTX file: bad magic at offset 0");
    await expect(collect(pieces(new Uint8Array(0), 512))).rejects.toThrow("not an EVTX file: bad magic at offset 0");
  });
});

describe("damaged files: readable records are kept, damage is reported", () => {
  const pristine = load(PANACHE);
  const whole = oks(parseEvtxBuffer(pristine).records);

  it("bad file header checksum: reported, every record still read", async () => {
    const bytes = pristine.slice();
    bytes[64] ^= 0xff; // unused header bytes inside the CRC'd 0–120 range
    const { records, summary } = await collect(pieces(bytes, 65536));
    expect(oks(records).length).toBe(whole.length);
    expect(summary!.header.checksumOk).toBe(false);
    expect(summary!.damage).toEqual([
      expect.objectContaining({ scope: "file", offset: 124, reason: expect.stringContaining("CRC32") }),
    ]);
  });

  it("truncated mid-chunk: earlier chunks and the complete records of the cut chunk are kept", async () => {
    const cut = FILE_HEADER_BLOCK_SIZE + CHUNK_SIZE + 30_000;
    const { records, summary } = await collect(pieces(pristine.subarray(0, cut), 8192));
    const kept = oks(records);
    const expected = whole.filter((r) => r.chunk === 0 || (r.chunk === 1 && r.offset < cut - 2000));
    expect(kept.length).toBeGreaterThanOrEqual(expected.length);
    expect(kept.length).toBeLessThan(whole.length);
    for (const r of kept) expect(r.xml).toBe(whole.find((w) => w.offset === r.offset)!.xml);
    expect(kept.some((r) => r.chunk === 1)).toBe(true);
    expect(summary!.damage).toContainEqual(
      expect.objectContaining({
        scope: "chunk",
        chunk: 1,
        reason: expect.stringContaining("truncated chunk: 30000 of 65536 bytes"),
      }),
    );
    // the record straddling the cut is reported with its offset, not silently dropped
    const broken = fails(records);
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ chunk: 1, reason: expect.stringContaining("record truncated") });
    expect(broken[0].offset).toBeLessThan(cut);
  });

  it("one corrupt byte in a chunk's records: bad data CRC reported with chunk and offset, records kept", () => {
    const bytes = pristine.slice();
    const victim = whole.find((r) => r.chunk === 2 && r.event.eventData?.CommandLine)!;
    const text = new TextEncoder().encode("C");
    // flip a byte inside the UTF-16 payload of the victim record only
    const at = bytes.indexOf(text[0], victim.offset + 200);
    bytes[at] = "X".charCodeAt(0);
    const { records, summary } = parseEvtxBuffer(bytes);
    expect(oks(records).length).toBe(whole.length);
    const chunkBase = FILE_HEADER_BLOCK_SIZE + 2 * CHUNK_SIZE;
    expect(summary.damage).toEqual([
      expect.objectContaining({
        scope: "chunk",
        chunk: 2,
        offset: chunkBase + 52,
        reason: expect.stringMatching(/^bad chunk data CRC32/),
      }),
    ]);
    expect(parseEvtxBuffer(bytes, { skipBadChecksumChunks: true }).records.filter((r) => r.chunk === 2)).toEqual([]);
  });

  it("bad chunk header CRC and bad chunk magic are reported per chunk", () => {
    const bytes = pristine.slice();
    bytes[FILE_HEADER_BLOCK_SIZE + 3 * CHUNK_SIZE + 200] ^= 1; // inside the string table: header CRC
    bytes[FILE_HEADER_BLOCK_SIZE + 4 * CHUNK_SIZE] = 0x41; // "AlfChnk"
    const { records, summary } = parseEvtxBuffer(bytes);
    expect(summary.damage).toContainEqual(
      expect.objectContaining({
        chunk: 3,
        offset: FILE_HEADER_BLOCK_SIZE + 3 * CHUNK_SIZE + 124,
        reason: expect.stringMatching(/^bad chunk header CRC32/),
      }),
    );
    expect(summary.damage).toContainEqual(
      expect.objectContaining({
        chunk: 4,
        offset: FILE_HEADER_BLOCK_SIZE + 4 * CHUNK_SIZE,
        action: "chunk-skipped",
        reason: expect.stringContaining("bad chunk magic"),
      }),
    );
    expect(oks(records).length).toBe(whole.length - whole.filter((r) => r.chunk === 4).length);
  });

  it("a record whose Binary XML is broken fails alone, with its id and offset", () => {
    const bytes = pristine.slice();
    const victim = whole.find((r) => r.chunk === 1)!;
    // The record's fragment header (0x0f 01 01 00) is followed by the template instance token.
    expect(bytes[victim.offset + 24]).toBe(0x0f);
    bytes[victim.offset + 28] = 0x7e;
    resealChunk(bytes, 1);
    const { records, summary } = parseEvtxBuffer(bytes);
    expect(fails(records)).toEqual([
      {
        ok: false,
        chunk: 1,
        offset: victim.offset,
        recordId: victim.recordId,
        reason: expect.stringContaining("unknown Binary XML token 0x7e"),
      },
    ]);
    expect(oks(records).length).toBe(whole.length - 1);
    expect(summary.damage).toHaveLength(1);
  });

  it("a record with a corrupt size is skipped and reading resumes at the next record", () => {
    const bytes = pristine.slice();
    const inChunk = whole.filter((r) => r.chunk === 2);
    const victim = inChunk[5];
    new DataView(bytes.buffer).setUint32(victim.offset + 4, 0xdeadbeef, true);
    const { records } = parseEvtxBuffer(bytes);
    expect(fails(records)).toEqual([
      expect.objectContaining({
        chunk: 2,
        offset: victim.offset,
        recordId: victim.recordId,
        reason: "bad record size 3735928559",
      }),
    ]);
    expect(oks(records).map((r) => r.offset)).toEqual(whole.filter((r) => r !== victim).map((r) => r.offset));
  });
});

describe("the PowerLurk PowerShell log that evtxexport cannot read", () => {
  // evtxexport 20181227: "libfwevt_xml_document_read_attribute: invalid binary XML token -
  // unsupported type: 0x05" at offset 0x1200, and exports nothing. Its records are written
  // without templates: literal value tokens in attributes, and no dependency identifier in elements.
  it("reads all ten records, cleanly", async () => {
    const { records, summary } = await collect(pieces(load(POWERLURK), 65536));
    expect(summary!.damage).toEqual([]);
    expect(fails(records)).toEqual([]);
    const events = oks(records).map((r) => r.event);
    expect(events).toHaveLength(10);
    expect(new Set(events.map((e) => e.system.eventId))).toEqual(new Set([800, 4103, 4104]));
    expect(events.every((e) => e.system.computer === "fs01.offsec.lan")).toBe(true);
    expect(events.filter((e) => e.system.channel === "Windows PowerShell")).toHaveLength(6);
    const block = events.find((e) => e.system.eventId === 4104)!;
    expect(block.system.channel).toBe("Microsoft-Windows-PowerShell/Operational");
    expect(block.eventData?.ScriptBlockText).toMatch(/^Register-MaliciousWmiEvent -EventName Evil23 /);
    const wmi = events.find((e) =>
      String(e.eventData?.param1).includes(
        "Set-WmiInstance -Namespace root/subscription -Class CommandLineEventConsumer",
      ),
    );
    expect(wmi?.system.eventRecordId).toBe(28811);
    expect(wmi?.eventData?.param3).toContain(
      'ParameterBinding(Set-WmiInstance): name="Class"; value="CommandLineEventConsumer"',
    );
  });
});

describe("Sysmon WMI events (the rule's own input)", () => {
  it("keeps Sysmon 20 consumer values exactly, quotes and spaces included", () => {
    const events = oks(parseEvtxBuffer(load(WMI_SYSMON)).records).map((r) => r.event);
    const consumer = events.find((e) => e.system.eventId === 20)!;
    expect(consumer.eventData).toMatchObject({
      EventType: "WmiConsumerEvent",
      Operation: "Created",
      Type: "Command Line",
    });
    // Sysmon's own leading space and quotes stay: the rule must see what Elastic would see.
    expect(consumer.eventData?.Destination).toBe(' "c:\\\\Windows\\\\System32\\\\cmd.exe"');
  });
});

describe("random corruption never escapes the iterator", () => {
  it("survives 300 files with random bytes overwritten", async () => {
    const pristine = load(WMI_SYSMON);
    const used = new DataView(pristine.buffer).getUint32(FILE_HEADER_BLOCK_SIZE + 48, true);
    let seed = 12345;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
    let damaged = 0;
    for (let i = 0; i < 300; i++) {
      const bytes = pristine.slice();
      // Flip bytes in the CRC-covered areas only (file header 8–120, chunk headers, used record
      // space), keeping the file magic so the input still claims to be EVTX: every run is damage.
      for (let k = 0; k < 1 + rand(20); k++) {
        const where = rand(3);
        const at =
          where === 0
            ? 8 + rand(112)
            : where === 1
              ? FILE_HEADER_BLOCK_SIZE + rand(120)
              : FILE_HEADER_BLOCK_SIZE + 512 + rand(used - 512);
        bytes[at] ^= 1 + rand(255);
      }
      let summary: EvtxSummary | undefined;
      for await (const r of parseEvtxRecords(pieces(bytes, 4096 + rand(70000)), { onSummary: (s) => (summary = s) })) {
        if (r.ok) expect(r.xml.startsWith("<Event")).toBe(true);
      }
      expect(summary).toBeDefined();
      if (summary!.damage.length) damaged++;
    }
    expect(damaged).toBe(300);
  });
});
