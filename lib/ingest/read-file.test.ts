/* eslint-disable @typescript-eslint/no-explicit-any -- assertions walk nested ECS documents */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { readEventFile, readEventStream } from "@/lib/ingest/read-file";
import { UnreadableInputError, type InputFormat, type ReadResult } from "@/lib/ingest/types";

const DATASETS = path.resolve(process.cwd(), "../shared/datasets");
const DERIVED = path.join(DATASETS, "evtx-attack-samples/derived-xml");
const OTRF = path.join(DATASETS, "otrf-security-datasets");
const SIGMA = path.join(
  DATASETS,
  "sigma-regression-data/regression_data/rules/windows/wmi_event/sysmon_wmi_event_subscription/0f06a3a5-6a09-413f-8743-e6cf35561297.json",
);
const ENDPOINT = path.join(DATASETS, "elastic-endpoint-package/package/endpoint/data_stream/api/sample_event.json");
const tmp = mkdtempSync(path.join(tmpdir(), "ingest-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function collect(it: AsyncIterable<ReadResult>): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  for await (const r of it) out.push(r);
  return out;
}

/** Feeds bytes in awkward chunk sizes so multi-byte characters and `<Event` straddle chunks. */
async function* chunked(bytes: Uint8Array, size = 7): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function readStream(bytes: Uint8Array, fileName: string, format?: InputFormat, size?: number) {
  return collect(readEventStream(chunked(bytes, size), { fileName, format }));
}

const docs = (rs: ReadResult[]) => rs.filter((r) => r.ok).map((r) => (r.ok ? (r.document as any) : null));

describe("windows-xml (evtxexport derived XML, every file)", () => {
  const files = [
    ...readdirSync(DERIVED).map((f) => path.join(DERIVED, f)),
    path.join(DATASETS, "evtx-to-mitre-attack/derived-xml/ID19-20-WMI registration via PowerLurk.evtx.xml"),
  ];
  it.each(files)("%s: one document per <Event>, none rejected, offsets and lines point at <Event", async (file) => {
    const text = readFileSync(file);
    const expected = (text.toString("utf8").match(/<Event xmlns/g) ?? []).length;
    const results = await collect(readEventFile(file));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(expected);
    const lines = text.toString("utf8").split("\n");
    for (const r of results) {
      expect(text.subarray(r.position.offset!, r.position.offset! + 6).toString()).toBe("<Event");
      expect(lines[r.position.line! - 1].trimStart().startsWith("<Event")).toBe(true);
      const d = (r as any).document;
      expect(d.winlog.channel).toBeTruthy();
      expect(d["@timestamp"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(typeof (r as any).original).toBe("string");
    }
    expect(results.map((r) => r.position.index)).toEqual(results.map((_, i) => i));
  });

  it("finds the PowerLurk Sysmon 19/20 and keeps ROOT vs root and quoting", async () => {
    const results = docs(
      await collect(
        readEventFile(
          path.join(DATASETS, "evtx-to-mitre-attack/derived-xml/ID19-20-WMI registration via PowerLurk.evtx.xml"),
        ),
      ),
    );
    const codes = results.map((d) => d.event.code);
    expect(codes).toContain("19");
    expect(codes).toContain("20");
    const e19 = results.find((d) => d.event.code === "19");
    expect(e19.winlog.event_data.EventNamespace).toMatch(/^ "/);
  });

  it("reads wevtutil-style concatenated events (no root, no newlines), same documents", async () => {
    const original = readFileSync(path.join(DERIVED, "wmighost_sysmon_20_21_1.evtx.xml"), "utf8");
    const bare = (original.match(/<Event xmlns[\s\S]*?<\/Event>/g) ?? [])
      .map((e) => e.replace(/>\s+</g, "><"))
      .join("");
    const a = docs(await collect(readEventFile(path.join(DERIVED, "wmighost_sysmon_20_21_1.evtx.xml"))));
    const b = docs(await readStream(new TextEncoder().encode(bare), "events.xml"));
    expect(b).toHaveLength(4);
    expect(b.map((d) => d.winlog.event_data)).toEqual(a.map((d) => d.winlog.event_data));
  });
});

describe("nxlog-json (OTRF Security-Datasets)", () => {
  it("covenant_persistwmi: every line read; Sysmon 21 normalised with its value kept exactly", async () => {
    const results = await collect(readEventFile(path.join(OTRF, "covenant_persistwmi_2019-12-05044734.json")));
    expect(results).toHaveLength(1001);
    expect(results.every((r) => r.ok)).toBe(true);
    const e21 = docs(results).find((d) => d.event.code === "21");
    expect(e21.event.dataset).toBe("windows.sysmon_operational");
    expect(e21.winlog.event_data.Consumer).toBe(' "CommandLineEventConsumer.Name=\\"Evil Persistence\\""');
    expect(e21.winlog.event_data.Operation).toBe("Created");
    // NXLog 4 overwrote EventType with "INFO": recovered from the rendered message
    expect(e21.winlog.event_data.EventType).toBe("WmiBindingEvent");
    expect(e21["@timestamp"]).toBe("2019-12-05T04:47:55.353Z");
    // EventTime is local (UTC-5 here): converted with the offset between @timestamp and EventReceivedTime
    expect(e21.event.created).toBe("2019-12-05T04:47:55.000Z");
    expect(e21.winlog.computer_name).toBe("IT001.shire.com");
    expect(e21.host.name).toBe("IT001.shire.com");
    expect(e21.winlog.record_id).toBe("219673");
    expect(e21.winlog.process).toEqual({ pid: 3140, thread: { id: 2648 } });
    expect(e21.winlog.user).toEqual({ identifier: "S-1-5-18", name: "SYSTEM", domain: "NT AUTHORITY", type: "User" });
    expect(e21.user).toMatchObject({ domain: "shire", name: "pgustavo" });
    expect(e21.message).toMatch(/^WmiEventConsumerToFilter activity detected:/);
    expect(e21.winlog.event_data.SourceModuleType).toBeUndefined();
    expect(e21.winlog.event_data.port).toBeUndefined();
  });

  it("ActiveScriptEventConsumer run: the 20 and 21 events, NXLog 5 fields (ExecutionProcessID)", async () => {
    const results = await collect(
      readEventFile(
        path.join(OTRF, "covenant_wmi_remote_event_subscription_ActiveScriptEventConsumers_2020-09-01214330.json"),
      ),
    );
    expect(results).toHaveLength(3719);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const d = docs(results);
    const e21 = d.find(
      (x) => x.event.code === "21" && x.winlog.event_data.Consumer?.includes("ActiveScriptEventConsumer"),
    );
    expect(e21.winlog.event_data.Consumer).toBe(' "ActiveScriptEventConsumer.Name=\\"WSUS_RP5ZB\\""');
    expect(e21.winlog.event_data.EventType).toBe("WmiBindingEvent");
    expect(e21.winlog.process.pid).toBe(3248);
    const e20 = d.find((x) => x.event.code === "20");
    expect(e20.process.executable.startsWith(' "Function Base64ToStream(b,l)')).toBe(true);
    // this record carries no EventData fields of its own: they are read back from the rendered message
    expect(e20.winlog.event_data).toMatchObject({
      Type: "Script",
      Name: ' "WSUS_RP5ZB"',
      Operation: "Created",
      EventType: "WmiConsumerEvent",
    });
    expect(e20["@timestamp"]).toBe("2020-09-02T01:43:49.913Z");
    expect(e20.user).toMatchObject({ domain: "THESHIRE", name: "pgustavo" });
    const security = d.find((x) => x.winlog.channel === "Security");
    expect(security.event.dataset).toBe("system.security");
  });

  it("empire WMI ExecMethod and wbemcomn runs read without rejections", async () => {
    for (const [file, n] of [
      ["empire_wmi_dcerpc_wmi_IWbemServices_ExecMethod_2020-09-21001437.json", 6383],
      ["covenant_wmi_wbemcomn_dll_hijack_2020-10-09173318.json", 8947],
    ] as const) {
      const results = await collect(readEventFile(path.join(OTRF, file)));
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(results).toHaveLength(n);
    }
  });

  it("the packed raw/ set: unzipped to a temp dir and read in full (40k events)", async () => {
    execFileSync("unzip", [
      "-q",
      "-o",
      path.join(OTRF, "raw/empire_persistence_registry_modification_run_keys_standard_user.zip"),
      "-d",
      tmp,
    ]);
    const file = path.join(
      tmp,
      "empire_persistence_registry_modification_run_keys_standard_user_2020-09-04030609.json",
    );
    const lines = readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.trim()).length;
    let ok = 0;
    let registry = 0;
    for await (const r of readEventFile(file)) {
      if (!r.ok) throw new Error(r.reason);
      ok++;
      if ((r.document as any).registry) registry++;
    }
    expect(ok).toBe(lines);
    expect(registry).toBeGreaterThan(0);
  }, 60_000);
});

describe("evtx-json and ECS inputs", () => {
  it("sigma regression evtx→JSON Sysmon 19 (pretty-printed single document)", async () => {
    const [r] = await collect(readEventFile(SIGMA));
    expect(r.ok).toBe(true);
    const d = (r as any).document;
    expect(d.event.code).toBe("19");
    expect(d.event.action).toBe("WmiEvent (WmiEventFilter activity detected)");
    expect(d.winlog.provider_guid).toBe("{5770385F-C22A-43E0-BF4C-06F5698FFBD9}");
    expect(d.winlog.event_data.EventNamespace).toBe('"root\\\\CimV2"');
    expect(d.winlog.event_data.Name).toBe('"AtomicRedTeam-WMIPersistence-CommandLineEventConsumer-Example"');
    expect(d.rule.name).toBe("technique_id=T1047,technique_name=Windows Management Instrumentation");
    expect(d.user).toMatchObject({ domain: "SigmaCatchVm", name: "frack113" });
    expect(d["@timestamp"]).toBe("2026-08-30T15:07:43.355Z");
  });

  it("elastic endpoint sample (one pretty-printed ECS document) passes unchanged", async () => {
    const results = await collect(readEventFile(ENDPOINT));
    expect(results).toHaveLength(1);
    expect((results[0] as any).document).toEqual(JSON.parse(readFileSync(ENDPOINT, "utf8")));
  });

  it("ECS NDJSON: documents unchanged (dotted keys too), blank lines skipped, bad lines rejected with their line", async () => {
    const text = [
      '{"event.dataset":"windows.sysmon_operational","event":{"code":"21"}}',
      "",
      "{not json",
      "[1,2]",
      '{"@timestamp":"2024-01-01T00:00:00Z"}',
      "",
    ].join("\r\n");
    const rs = await readStream(new TextEncoder().encode(text), "x.ndjson");
    expect(rs.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(rs.map((r) => r.position)).toEqual([
      { index: 0, line: 1 },
      { index: 1, line: 3 },
      { index: 2, line: 4 },
      { index: 3, line: 5 },
    ]);
    expect((rs[0] as any).document).toEqual({ "event.dataset": "windows.sysmon_operational", event: { code: "21" } });
    expect((rs[1] as any).reason).toMatch(/^line 3: invalid JSON/);
    expect((rs[2] as any).reason).toBe("line 4: not a JSON object");
  });

  it("a record nested deeper than the stack allows is rejected alone, in every JSON layout and with numbers as written", async () => {
    const deep = `{"@timestamp":"2024-01-01T00:00:00Z","x":${'{"a":'.repeat(20000)}1.0${"}".repeat(20000)}}`;
    const good = '{"@timestamp":"2024-01-01T00:00:00Z","n":1}';
    for (const [fileName, text] of [
      ["deep.ndjson", [good, deep, good].join("\n")],
      ["deep.json", `[${good},\n${deep},\n${good}]`],
    ]) {
      for (const numbersAsWritten of [false, true]) {
        const rs = await collect(
          readEventStream(chunked(new TextEncoder().encode(text), 4096), { fileName, numbersAsWritten }),
        );
        expect(rs.map((r) => r.ok)).toEqual([true, false, true]);
        expect((rs[1] as any).reason).toMatch(/nested more than 100 levels deep$/);
      }
    }
  });

  it("evtx-json NDJSON with a record missing EventID: named field, neighbours kept", async () => {
    const good = JSON.stringify(JSON.parse(readFileSync(SIGMA, "utf8")));
    const bad = JSON.parse(good);
    delete bad.Event.System.EventID;
    const rs = await readStream(new TextEncoder().encode([good, JSON.stringify(bad), good].join("\n")), "x.json");
    expect(rs.map((r) => r.ok)).toEqual([true, false, true]);
    expect((rs[1] as any).reason).toBe("line 2: Event.System.EventID is missing");
  });

  it("JSON array of ECS documents is streamed element by element", async () => {
    const arr = JSON.stringify([{ a: 1 }, { b: { c: 2 } }, { "event.code": "21" }], null, 2);
    const rs = await readStream(new TextEncoder().encode(arr), "docs.json");
    expect(docs(rs)).toEqual([{ a: 1 }, { b: { c: 2 } }, { "event.code": "21" }]);
    expect(rs.map((r) => r.position.index)).toEqual([0, 1, 2]);
  });

  it("es-search: a _search response and elasticdump lines keep _id and _index", async () => {
    const response = JSON.stringify(
      {
        took: 3,
        timed_out: false,
        _shards: { total: 1 },
        hits: {
          total: { value: 2 },
          hits: [
            {
              _index: ".ds-logs-windows.sysmon_operational-default-2024",
              _id: "abc",
              _source: { event: { code: "21" } },
            },
            { _index: "winlogbeat-8", _id: "def", _source: { event: { code: "1" } } },
          ],
        },
      },
      null,
      2,
    );
    const rs = await readStream(new TextEncoder().encode(response), "search.json");
    expect(rs).toHaveLength(2);
    expect(rs.map((r) => (r.ok ? [r.sourceId, r.sourceIndex, (r.document as any).event.code] : null))).toEqual([
      ["abc", ".ds-logs-windows.sysmon_operational-default-2024", "21"],
      ["def", "winlogbeat-8", "1"],
    ]);
    const dump = ['{"_index":"i1","_id":"1","_source":{"x":1}}', '{"_index":"i1","_id":"2"}'].join("\n");
    const rd = await readStream(new TextEncoder().encode(dump), "dump.ndjson");
    expect(rd[0]).toMatchObject({ ok: true, sourceId: "1", sourceIndex: "i1", document: { x: 1 } });
    expect(rd[1]).toMatchObject({ ok: false, reason: "line 2: _source is missing" });
  });
});

describe("encodings, compression, bad input", () => {
  const xml = readFileSync(path.join(DERIVED, "sysmon_20_21_1_CommandLineEventConsumer.evtx.xml"), "utf8");
  const nxlog = readFileSync(path.join(OTRF, "covenant_persistwmi_2019-12-05044734.json"), "utf8");
  const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, "utf16le")]);
  const utf16be = (s: string) => {
    const le = Buffer.from(s, "utf16le");
    for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
    return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
  };

  it("the same XML read from UTF-8, UTF-8+BOM, UTF-16LE+BOM, UTF-16BE+BOM and CRLF gives the same documents", async () => {
    const base = docs(await readStream(Buffer.from(xml, "utf8"), "a.xml"));
    expect(base).toHaveLength(17);
    const withCrlf = xml.replace(/\n/g, "\r\n");
    for (const bytes of [
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]),
      utf16le(xml),
      utf16be(xml),
      Buffer.from(withCrlf),
    ]) {
      expect(docs(await readStream(bytes, "a.xml", undefined, 4093))).toEqual(base);
    }
    // offsets count bytes of the encoding, BOM included
    const le = await readStream(utf16le(xml), "a.xml", undefined, 4093);
    const leBytes = utf16le(xml);
    expect(leBytes.subarray(le[3].position.offset!, le[3].position.offset! + 12).toString("utf16le")).toBe("<Event");
  });

  it("UTF-16LE NXLog lines with CRLF and non-ASCII text decode intact", async () => {
    const lines = nxlog
      .split("\n")
      .slice(0, 50)
      .join("\r\n")
      .replace('"Hostname":"IT001.shire.com"', '"Hostname":"ÜBER-Ω-PC"');
    const rs = await readStream(utf16le(lines), "out.json", undefined, 333);
    expect(rs).toHaveLength(50);
    expect(rs.every((r) => r.ok)).toBe(true);
    expect(docs(rs).some((d) => d.host.name === "ÜBER-Ω-PC")).toBe(true);
  });

  it("gzip: the same records as the plain file; a file path with .gz works", async () => {
    const gz = gzipSync(Buffer.from(nxlog));
    const file = path.join(tmp, "nxlog.json.gz");
    writeFileSync(file, gz);
    const rs = await collect(readEventFile(file));
    expect(rs).toHaveLength(1001);
    expect(rs.every((r) => r.ok)).toBe(true);
    const xmlGz = await readStream(gzipSync(Buffer.from(xml)), "a.xml.gz", undefined, 1000);
    expect(docs(xmlGz)).toHaveLength(17);
  });

  it("gzip cut off midway: records before the cut, then one rejection saying where it ended", async () => {
    const gz = gzipSync(Buffer.from(nxlog));
    const cut = gz.subarray(0, Math.floor(gz.length / 2));
    const rs = await readStream(cut, "cut.json.gz", undefined, 65536);
    const good = rs.filter((r) => r.ok);
    expect(good.length).toBeGreaterThan(100);
    expect(good.length).toBeLessThan(1001);
    const last = rs[rs.length - 1];
    expect(last.ok).toBe(false);
    expect((last as any).reason).toMatch(/input ended early after \d+ bytes/);
    expect(rs.filter((r) => !r.ok)).toHaveLength(1);
  });

  it("an empty file and one of blank lines (with a BOM, in UTF-16 too) hold no records and are not errors", async () => {
    for (const bytes of [
      new Uint8Array(0),
      new TextEncoder().encode("\n\r\n  \n"),
      new Uint8Array([0xef, 0xbb, 0xbf, 0x0a]),
      new Uint8Array([0xff, 0xfe, 0x0a, 0x00]),
    ]) {
      expect(await readStream(bytes, "blank.ndjson")).toEqual([]);
    }
  });

  it("unreadable inputs throw UnreadableInputError before any record", async () => {
    await expect(collect(readEventFile(path.join(tmp, "missing.json")))).rejects.toBeInstanceOf(UnreadableInputError);
    const gz = gzipSync(Buffer.from(nxlog));
    await expect(readStream(gz.subarray(0, 6), "x.json.gz")).rejects.toThrow(/gzip/);
    await expect(readStream(Buffer.from("hello world, not events\n"), "notes.txt")).rejects.toThrow(/unknown format/);
    const garbage = Buffer.alloc(5000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
    await expect(readStream(garbage, "blob.bin")).rejects.toBeInstanceOf(UnreadableInputError);
    await expect(readStream(Buffer.from('{"a":1}\n'), "x.json.gz")).rejects.toThrow(/not gzip/);
  });

  it("XML: an event without EventID and an event cut off at the end are rejected by offset/line; others kept", async () => {
    const events = xml.match(/<Event xmlns[\s\S]*?<\/Event>/g)!;
    const broken = events[1].replace(/<EventID>\d+<\/EventID>/, "");
    const text = `<Events>\n${events[0]}\n${broken}\n${events[2]}\n${events[3].slice(0, 200)}`;
    const rs = await readStream(Buffer.from(text), "x.xml");
    expect(rs.map((r) => r.ok)).toEqual([true, false, true, false]);
    expect((rs[1] as any).reason).toMatch(/^line \d+: Event\.System\.EventID is missing$/);
    expect(rs[1].position.offset).toBe(Buffer.byteLength(`<Events>\n${events[0]}\n`));
    expect((rs[3] as any).reason).toMatch(/no <\/Event>/);
  });
});
