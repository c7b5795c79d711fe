import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readEventFile } from "@/lib/ingest/read-file";

const DATASETS = path.resolve(process.cwd(), "../shared/datasets");
const WMI_DIR = path.join(DATASETS, "evtx-to-mitre-attack/TA0003-Persistence/T1546-Event Triggered Execution");
const FILE = path.join(
  WMI_DIR,
  readdirSync(WMI_DIR).find((f) => f.startsWith("ID19-20"))!,
);
const ATOMIC = path.join(DATASETS, "evtx-attack-samples/Persistence/sysmon_20_21_1_CommandLineEventConsumer.evtx");

describe("evtx files go through lib/evtx and the same normalisation as Windows XML", () => {
  it("normalises the EVTX reader's events (PowerLurk Sysmon 19/20)", async () => {
    const codes: string[] = [];
    for await (const r of readEventFile(FILE))
      if (r.ok) codes.push(String((r.document as { event: { code: string } }).event.code));
    expect(codes).toContain("19");
    expect(codes).toContain("20");
  });

  it("gives the same documents for an .evtx file as for its evtxexport XML rendering", async () => {
    const fromEvtx: unknown[] = [];
    const fromXml: unknown[] = [];
    for await (const r of readEventFile(ATOMIC)) if (r.ok) fromEvtx.push(r.document);
    for await (const r of readEventFile(
      path.join(DATASETS, "evtx-attack-samples/derived-xml/sysmon_20_21_1_CommandLineEventConsumer.evtx.xml"),
    ))
      if (r.ok) fromXml.push(r.document);
    expect(fromEvtx).toHaveLength(17);
    // evtxexport zero-pads HexInt values (0x00000000000003e7) where Windows' own rendering, and our
    // reader, print 0x3e7; everything else must be identical.
    const unpadHex = (docs: unknown[]) => JSON.parse(JSON.stringify(docs).replace(/"0x0+([0-9a-fA-F]+)"/g, '"0x$1"'));
    expect(unpadHex(fromEvtx)).toEqual(unpadHex(fromXml));
  });
});
