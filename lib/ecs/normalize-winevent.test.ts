/* eslint-disable @typescript-eslint/no-explicit-any -- assertions walk nested ECS documents */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { splitCommandLine } from "@/lib/ecs/command-line-args";
import { communityId } from "@/lib/ecs/community-id";
import { chooseDataset, normalizeWinEvent, toIsoMillis } from "@/lib/ecs/normalize-winevent";
import { SYSMON_EVENT_TABLE } from "@/lib/ecs/sysmon-event-table";
import { parseEventXml } from "@/lib/ingest/parse-event-xml";

const DATASETS = path.resolve(process.cwd(), "../shared/datasets");
const CMDLINE_XML = readFileSync(
  path.join(DATASETS, "evtx-attack-samples/derived-xml/sysmon_20_21_1_CommandLineEventConsumer.evtx.xml"),
  "utf8",
);

/** The `<Event>` whose EventRecordID is `recordId`, cut out of the real export. */
function eventXml(recordId: number): string {
  const events = CMDLINE_XML.split(/(?=<Event xmlns)/).filter((e) => e.startsWith("<Event"));
  const found = events.find((e) => e.includes(`<EventRecordID>${recordId}</EventRecordID>`));
  if (!found) throw new Error(`record ${recordId} not in fixture`);
  return found.slice(0, found.indexOf("</Event>") + "</Event>".length);
}

describe("normalizeWinEvent on real Sysmon events (evtx-attack-samples, evtxexport XML)", () => {
  it("Sysmon 21 (CommandLineEventConsumer binding) as the sysmon_operational pipeline stores it", () => {
    const doc = normalizeWinEvent(parseEventXml(eventXml(16112))) as any;
    expect(doc["@timestamp"]).toBe("2019-05-11T17:58:23.418Z"); // from UtcTime, not TimeCreated's .4187846
    expect(doc.event).toEqual({
      kind: "event",
      code: "21",
      provider: "Microsoft-Windows-Sysmon",
      module: "sysmon",
      dataset: "windows.sysmon_operational",
      created: "2019-05-11T17:58:23.418Z",
      action: "WmiEvent (WmiEventConsumerToFilter activity detected)",
      category: ["process"],
      type: ["access"],
    });
    expect(doc.data_stream).toEqual({ type: "logs", dataset: "windows.sysmon_operational", namespace: "default" });
    expect(doc.winlog.event_id).toBe("21");
    expect(doc.winlog.record_id).toBe("16112");
    expect(doc.winlog.computer_name).toBe("IEWIN7");
    expect(doc.winlog.provider_guid).toBe("{5770385F-C22A-43E0-BF4C-06F5698FFBD9}");
    expect(doc.winlog.process).toEqual({ pid: 2032, thread: { id: 4092 } });
    expect(doc.winlog.user).toEqual({ identifier: "S-1-5-18" });
    // leading space, quotes and MOF escaping kept; RuleName (empty), UtcTime and User dropped as the pipeline does
    expect(doc.winlog.event_data).toEqual({
      EventType: "WmiBindingEvent",
      Operation: "Created",
      Consumer: ' "CommandLineEventConsumer.Name=\\"BotConsumer23\\""',
      Filter: ' "__EventFilter.Name=\\"BotFilter82\\""',
    });
    expect(doc.user).toEqual({ id: "S-1-5-18", domain: "IEWIN7", name: "IEUser" });
    expect(doc.related.user).toEqual(["IEUser"]);
    expect(doc.host.name).toBe("IEWIN7");
    expect(doc.rule).toBeUndefined();
  });

  it("Sysmon 20 (consumer): Destination moves to process.executable, Name/Type stay in event_data", () => {
    const doc = normalizeWinEvent(parseEventXml(eventXml(16111))) as any;
    expect(doc.event.code).toBe("20");
    expect(doc.event.action).toBe("WmiEvent (WmiEventConsumer activity detected)");
    expect(doc.event.type).toEqual(["creation"]);
    expect(doc["@timestamp"]).toBe("2019-05-11T17:58:23.340Z");
    expect(doc.winlog.event_data).toEqual({
      EventType: "WmiConsumerEvent",
      Operation: "Created",
      Name: ' "BotConsumer23"',
      Type: "Command Line",
    });
    // rename winlog.event_data.Destination → process.executable, then "Adds process name information"
    expect(doc.process).toEqual({ executable: ' "c:\\\\Windows\\\\System32\\\\cmd.exe"', name: 'cmd.exe"' });
  });

  it("Sysmon 1: process, parent, hashes, pe and args", () => {
    const doc = normalizeWinEvent(parseEventXml(eventXml(16108))) as any;
    expect(doc.process.entity_id).toBe("{365ABB72-0D1D-5CD7-0000-001020EF1500}");
    expect(doc.process.pid).toBe(3140);
    expect(doc.process.executable).toBe("C:\\Python27\\python.exe");
    expect(doc.process.name).toBe("python.exe");
    expect(doc.process.command_line).toBe("python  winpwnage.py -u elevate -5 -p c:\\Windows\\System32\\cmd.exe");
    expect(doc.process.args).toEqual([
      "python",
      "winpwnage.py",
      "-u",
      "elevate",
      "-5",
      "-p",
      "c:\\Windows\\System32\\cmd.exe",
    ]);
    expect(doc.process.args_count).toBe(7);
    expect(doc.process.parent).toMatchObject({
      pid: 2404,
      executable: "C:\\Windows\\System32\\cmd.exe",
      name: "cmd.exe",
      command_line: '"C:\\Windows\\System32\\cmd.exe" ',
      args: ["C:\\Windows\\System32\\cmd.exe"],
    });
    expect(doc.process.hash.sha256).toBe("b6b4bd10303797c209c4f3c3fcc863a925a77ae2c38090fb8b3ff1bf9c4dde84");
    expect(doc.process.pe).toMatchObject({ imphash: "f3f3de6c332cf6049756a5b794ebd0c5", company: "?" });
    expect(doc.related.hash).toHaveLength(4);
    expect(doc.user).toMatchObject({ domain: "IEWIN7", name: "IEUser" });
    expect(doc.winlog.event_data.Image).toBeUndefined();
    expect(doc.winlog.event_data.ProcessId).toBeUndefined();
    expect(doc.winlog.event_data.IntegrityLevel).toBe("High");
    expect(doc.winlog.event_data.LogonId).toBe("0x0000000000014591");
  });
});

describe("normalizeWinEvent on synthetic events", () => {
  it("keeps non-Sysmon event_data untouched (empty values too) and picks the dataset by channel", () => {
    const doc = normalizeWinEvent({
      system: {
        eventId: 4688,
        channel: "Security",
        providerName: "Microsoft-Windows-Security-Auditing",
        computer: "DC1",
        systemTime: "2020-01-01T00:00:00.1234567Z",
        userId: "S-1-5-18",
      },
      eventData: { NewProcessName: "C:\\x.exe", TargetUserName: "-", Empty: "" },
    }) as any;
    expect(doc.event.dataset).toBe("system.security");
    expect(doc.event.action).toBeUndefined();
    expect(doc["@timestamp"]).toBe("2020-01-01T00:00:00.123Z");
    expect(doc.winlog.event_data).toEqual({ NewProcessName: "C:\\x.exe", TargetUserName: "-", Empty: "" });
    expect(doc.user).toEqual({ id: "S-1-5-18" });
  });

  it("maps datasets for the channels we meet", () => {
    expect(chooseDataset("Microsoft-Windows-Sysmon/Operational").dataset).toBe("windows.sysmon_operational");
    expect(chooseDataset("Microsoft-Windows-PowerShell/Operational").dataset).toBe("windows.powershell_operational");
    expect(chooseDataset("Windows PowerShell").dataset).toBe("windows.powershell");
    expect(chooseDataset("Microsoft-Windows-WMI-Activity/Operational").dataset).toBe("windows.forwarded");
  });

  it("registry event 13: registry.* and DWORD data", () => {
    const doc = normalizeWinEvent({
      system: {
        eventId: 13,
        channel: "Microsoft-Windows-Sysmon/Operational",
        providerName: "Microsoft-Windows-Sysmon",
      },
      eventData: {
        TargetObject: "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\PowerShell\\EnableScripts",
        Details: "DWORD (0x00000001)",
        EventType: "SetValue",
      },
    }) as any;
    expect(doc.registry).toEqual({
      path: "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\PowerShell\\EnableScripts",
      hive: "HKLM",
      key: "SOFTWARE\\Policies\\Microsoft\\Windows\\PowerShell\\EnableScripts",
      value: "EnableScripts",
      data: { strings: ["1"], type: "SZ_DWORD" },
    });
    expect(doc.winlog.event_data.TargetObject).toBeUndefined();
    expect(doc.winlog.event_data.Details).toBe("DWORD (0x00000001)");
  });

  it("network event 3: source/destination, direction, related.ip", () => {
    const doc = normalizeWinEvent({
      system: { eventId: 3, channel: "Microsoft-Windows-Sysmon/Operational" },
      eventData: {
        Protocol: "tcp",
        Initiated: "true",
        SourceIsIpv6: "false",
        SourceIp: "10.0.0.5",
        SourcePort: "51442",
        DestinationIp: "10.0.0.1",
        DestinationPort: "389",
        DestinationHostname: "-",
      },
    }) as any;
    expect(doc.network).toEqual({
      community_id: communityId("tcp", "10.0.0.5", 51442, "10.0.0.1", 389),
      transport: "tcp",
      direction: "egress",
      type: "ipv4",
    });
    expect(doc.source).toEqual({ ip: "10.0.0.5", port: 51442 });
    expect(doc.destination).toEqual({ ip: "10.0.0.1", port: 389 });
    expect(doc.related.ip).toEqual(["10.0.0.5", "10.0.0.1"]);
    expect(doc.winlog.event_data).toBeUndefined();
  });

  it("has an action for every Sysmon event ID 1–29 and 255", () => {
    for (let id = 1; id <= 29; id++) expect(SYSMON_EVENT_TABLE[String(id)]?.action, `id ${id}`).toBeTruthy();
    expect(SYSMON_EVENT_TABLE["255"].action).toBe("Error");
  });

  it("truncates TimeCreated to milliseconds", () => {
    expect(toIsoMillis("2019-03-17T19:15:11.5419180Z")).toBe("2019-03-17T19:15:11.541Z");
    expect(toIsoMillis("2019-03-17T19:15:11Z")).toBe("2019-03-17T19:15:11.000Z");
    expect(toIsoMillis("garbage")).toBeUndefined();
  });
});

describe("splitCommandLine (pipeline's SplitCommandLine port)", () => {
  it("splits on unquoted blanks and honours quotes and backslashes", () => {
    expect(splitCommandLine('"C:\\Program Files\\a.exe" -x "y z"')).toEqual(["C:\\Program Files\\a.exe", "-x", "y z"]);
    expect(splitCommandLine('a\\\\\\"b c')).toEqual(['a\\"b', "c"]);
    // "" inside quotes: a literal quote that also ends the quoted part (the pre-2008 rule), so the next " reopens it
    expect(splitCommandLine('"a""b" c')).toEqual(['a"b c']);
    expect(splitCommandLine("  ")).toEqual([]);
  });
});
