import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readEventFile } from "@/lib/ingest/read-file";
import { UnreadableInputError } from "@/lib/ingest/types";

const READER = path.resolve(process.cwd(), "lib/evtx/read-evtx.ts");
const WMI_DIR = path.resolve(process.cwd(), "../shared/datasets/evtx-to-mitre-attack/TA0003-Persistence/T1546-Event Triggered Execution");
const FILE = path.join(WMI_DIR, readdirSync(WMI_DIR).find((f) => f.startsWith("ID19-20"))!);

describe("evtx files are handed to lib/evtx/read-evtx", () => {
  it.runIf(existsSync(READER))("normalises the EVTX reader's events (PowerLurk Sysmon 19/20)", async () => {
    const codes: string[] = [];
    for await (const r of readEventFile(FILE)) if (r.ok) codes.push(String((r.document as { event: { code: string } }).event.code));
    expect(codes).toContain("19");
    expect(codes).toContain("20");
  });

  it.runIf(!existsSync(READER))("says the EVTX reader is missing instead of guessing", async () => {
    const read = async () => {
      for await (const r of readEventFile(FILE)) void r;
    };
    await expect(read()).rejects.toBeInstanceOf(UnreadableInputError);
  });
});
