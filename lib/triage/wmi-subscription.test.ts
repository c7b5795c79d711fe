import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EcsDocument } from "@/lib/ecs/document";
import { getString } from "./fields";
import { DATASETS_DIR, loadNxlogEvents, loadWindowsXmlEvents } from "./testing/dataset-events";
import {
  describeCodePoints,
  parseMofInstance,
  parseWmiObjectPath,
  rebuildSubscription,
  unquoteSysmonValue,
  usesHostEvents,
  wmiNameSkeleton,
} from "./wmi-subscription";

const code = (e: EcsDocument) => getString(e, "event.code");
const op = (e: EcsDocument) => getString(e, "winlog.event_data.Operation");

describe("parseWmiObjectPath", () => {
  it("reads a full path as Sysmon logs it (quoted, MOF-escaped)", () => {
    // value as in EVTX-ATTACK-SAMPLES PanacheSysmon_vs_AtomicRedTeam01 (Sysmon 21)
    const raw =
      ' "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"AtomicRedTeam-WMIPersistence-Example\\""';
    expect(unquoteSysmonValue(raw)).toBe(
      '\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name="AtomicRedTeam-WMIPersistence-Example"',
    );
    expect(parseWmiObjectPath(raw)).toEqual({
      server: ".",
      namespace: "ROOT\\subscription",
      className: "CommandLineEventConsumer",
      keyName: "Name",
      name: "AtomicRedTeam-WMIPersistence-Example",
    });
  });

  it("reads a relative path without namespace, and a clean path", () => {
    expect(parseWmiObjectPath(' "__EventFilter.Name=\\"BotFilter82\\""')).toEqual({
      className: "__EventFilter",
      keyName: "Name",
      name: "BotFilter82",
    });
    expect(parseWmiObjectPath('\\\\.\\root\\subscription:ActiveScriptEventConsumer.Name="evil"')?.namespace).toBe(
      "root\\subscription",
    );
  });

  it("keeps colons, dots, equals and escaped quotes that are inside the name", () => {
    const p = parseWmiObjectPath('\\\\.\\root\\subscription:CommandLineEventConsumer.Name="a:b.c=\\"d\\""');
    expect(p?.namespace).toBe("root\\subscription");
    expect(p?.className).toBe("CommandLineEventConsumer");
    expect(p?.name).toBe('a:b.c="d"');
    expect(parseWmiObjectPath('CommandLineEventConsumer.Name="x:y.z=1"')).toMatchObject({
      className: "CommandLineEventConsumer",
      name: "x:y.z=1",
    });
  });

  it("rejects text that is not an object path", () => {
    expect(parseWmiObjectPath("hello world")).toBeUndefined();
    expect(parseWmiObjectPath("")).toBeUndefined();
  });
});

describe("rebuildSubscription on real Sysmon exports", () => {
  it("AtomicRedTeam: finds consumer 20 and filter 19 created before the binding, not their later deletions", () => {
    const events = loadWindowsXmlEvents("evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml");
    const binding = events.find((e) => code(e) === "21" && op(e) === "Created")!;
    const result = rebuildSubscription(binding, events);
    expect(result.missing).toEqual([]);
    expect(result.binding?.consumer?.className).toBe("CommandLineEventConsumer");
    expect(result.consumer).toMatchObject({
      source: "sysmon-20",
      name: "AtomicRedTeam-WMIPersistence-Example",
      type: "Command Line",
      destination: "C:\\Windows\\System32\\notepad.exe",
      operation: "Created",
    });
    expect(result.filter).toMatchObject({
      source: "sysmon-19",
      eventNamespace: "root\\CimV2",
      operation: "Created",
    });
    // the XML entities (&gt; &lt;) are decoded by the XML reader, not by us
    expect(result.filter?.query).toContain("TargetInstance.SystemUpTime >= 240 AND TargetInstance.SystemUpTime < 325");
  });

  it("BotConsumer23: relative references; the filter logged after the binding is still found", () => {
    const events = loadWindowsXmlEvents(
      "evtx-attack-samples/derived-xml/sysmon_20_21_1_CommandLineEventConsumer.evtx.xml",
    );
    const binding = events.find((e) => code(e) === "21" && op(e) === "Created")!;
    const result = rebuildSubscription(binding, events);
    expect(result.missing).toEqual([]);
    expect(result.consumer?.destination).toBe("c:\\Windows\\System32\\cmd.exe");
    expect(result.consumer?.rawDestination).toBe(' "c:\\\\Windows\\\\System32\\\\cmd.exe"');
    expect(result.filter?.name).toBe("BotFilter82");
    expect(result.filter?.operation).toBe("Created");
    expect(result.filter?.timestamp).toBe("2019-05-11T17:58:39.746Z");
  });

  it("wmighost: an ActiveScript consumer whose filter was never logged is reported missing", () => {
    const events = loadWindowsXmlEvents("evtx-attack-samples/derived-xml/wmighost_sysmon_20_21_1.evtx.xml");
    const binding = events.find((e) => code(e) === "21")!;
    const result = rebuildSubscription(binding, events);
    expect(result.consumer?.className).toBe("ActiveScriptEventConsumer");
    expect(result.consumer?.type).toBe("Script");
    expect(result.consumer?.destination?.startsWith('var sXmlUrl="http://kumardeep.sosblogs.com/')).toBe(true);
    expect(result.filter).toEqual({ source: "binding-ref", name: "ProbeScriptFint" });
    expect(result.missing).toHaveLength(1);
    expect(result.missing[0]).toMatch(/filter "ProbeScriptFint".*no Sysmon 19/);
  });

  it("NXLog (OTRF covenant persistwmi): names with spaces, encoded PowerShell consumer", () => {
    const events = loadNxlogEvents("otrf-security-datasets/covenant_persistwmi_2019-12-05044734.json", (r) =>
      [19, 20, 21].includes(r.EventID as number),
    );
    const binding = events.find((e) => code(e) === "21")!;
    const result = rebuildSubscription(binding, events);
    expect(result.binding?.consumer?.name).toBe("Evil Persistence");
    expect(result.consumer?.destination).toBe("powershell -Sta -Nop -Window Hidden -EncodedCommand &lt;blah&gt;");
    expect(result.filter?.eventNamespace).toBe("root/cimv2");
    expect(result.filter?.query).toBe("select * from Win32_ProcessStartTrace where ProcessName='notepad.exe'");
  });

  it("ignores same-named definitions on another host and of another consumer class", () => {
    const events = loadWindowsXmlEvents("evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml");
    const binding = events.find((e) => code(e) === "21" && op(e) === "Created")!;
    const moved = events
      .filter((e) => code(e) === "19" || code(e) === "20")
      .map((e) => ({
        ...e,
        host: { name: "other-host" },
        winlog: { ...(e.winlog as object), computer_name: "OTHER-HOST" },
      }));
    const wrongClass = events
      .filter((e) => code(e) === "20")
      .map((e) => structuredClone(e))
      .map((e) => {
        (e.winlog as { event_data: Record<string, string> }).event_data.Type = "Script";
        return e;
      });
    const result = rebuildSubscription(binding, [...moved, ...wrongClass]);
    expect(result.consumer?.source).toBe("binding-ref");
    expect(result.filter?.source).toBe("binding-ref");
    expect(result.missing).toHaveLength(2);
  });

  it("joins on the exact name only; a case variant is a near-match, not the consumer", () => {
    const alert: EcsDocument = {
      "@timestamp": "2024-01-01T10:00:00Z",
      host: { name: "ws-1" },
      event: { code: "21" },
      winlog: {
        event_data: {
          Consumer: '\\\\.\\root\\subscription:CommandLineEventConsumer.Name="Evil"',
          Filter: '__EventFilter.Name="F"',
        },
      },
    };
    const consumer: EcsDocument = {
      "@timestamp": "2024-01-01T09:59:00Z",
      "host.name": "WS-1",
      "event.code": "20",
      "winlog.event_data.Name": "EVIL",
      "winlog.event_data.Type": "Command Line",
      "winlog.event_data.Destination": "calc.exe",
    };
    const r = rebuildSubscription(alert, [consumer]);
    expect(r.consumer).toEqual({ source: "binding-ref", name: "Evil", className: "CommandLineEventConsumer" });
    expect(r.nearMatches).toMatchObject([{ part: "consumer", name: "EVIL", boundName: "Evil", differences: ["case"] }]);
    expect(r.missing[0]).toMatch(/near-match "EVIL" exists \(differs by case\)/);
  });
});

describe("decoys: names that differ only by invisible or whitespace characters or case", () => {
  const events = loadWindowsXmlEvents("evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml");
  const binding = events.find((e) => code(e) === "21" && op(e) === "Created")!;
  const NAME = "AtomicRedTeam-WMIPersistence-Example";
  /** a copy of the real Sysmon 19/20 "Created" event, renamed, logged one second before the binding */
  const decoy = (eventCode: "19" | "20", name: string, value: string): EcsDocument => {
    const e = structuredClone(events.find((x) => code(x) === eventCode && op(x) === "Created")!);
    const data = (e.winlog as { event_data: Record<string, string> }).event_data;
    data.Name = ` "${name}"`;
    if (eventCode === "20") data.Destination = ` "${value}"`;
    else data.Query = ` "${value}"`;
    e["@timestamp"] = "2019-07-19T14:57:01.000Z";
    return e;
  };

  it.each([
    ["U+00A0", `${NAME}\u00a0`, "<U+00A0>", "whitespace"],
    ["trailing space", `${NAME} `, "<U+0020>", "whitespace"],
    ["zero-width space", `${NAME}\u200b`, "<U+200B>", "invisible characters"],
    ["case", NAME.toUpperCase(), NAME.toUpperCase(), "case"],
  ])("a %s decoy created nearer the binding never lends its command or query", (_label, name, shown, kind) => {
    const r = rebuildSubscription(binding, [
      ...events,
      decoy("20", name, "C:\\Windows\\Temp\\decoy.exe"),
      decoy("19", name, "SELECT * FROM decoy"),
    ]);
    expect(r.consumer?.destination).toBe("C:\\Windows\\System32\\notepad.exe");
    expect(r.consumer?.name).toBe(NAME);
    expect(r.filter?.query).toContain("Win32_PerfFormattedData_PerfOS_System");
    expect(r.nearMatches.map((m) => m.part).sort()).toEqual(["consumer", "filter"]);
    for (const m of r.nearMatches) {
      expect(m.name).toBe(name);
      expect(m.nameCodePoints).toContain(shown);
      expect(m.differences).toContain(kind);
    }
  });

  it("a decoy alone is not joined: the consumer's command stays unknown and the near-match is named", () => {
    const onlyDecoy = events.filter((e) => code(e) !== "20");
    const r = rebuildSubscription(binding, [...onlyDecoy, decoy("20", `${NAME}\u00a0`, "calc.exe")]);
    expect(r.consumer?.source).toBe("binding-ref");
    expect(r.consumer?.destination).toBeUndefined();
    expect(r.missing.join("\n")).toContain(`near-match "${NAME}<U+00A0>"`);
  });

  it("takes the bound names from the binding's references exactly as written", () => {
    const b = structuredClone(binding);
    const data = (b.winlog as { event_data: Record<string, string> }).event_data;
    data.Consumer = data.Consumer.replace(NAME, `${NAME} `);
    const r = rebuildSubscription(b, events);
    expect(r.binding?.consumer?.name).toBe(`${NAME} `);
    expect(r.consumer?.source).toBe("binding-ref");
    expect(r.nearMatches.some((m) => m.part === "consumer" && m.name === NAME)).toBe(true);
  });

  it("describes code points in printable ASCII", () => {
    expect(describeCodePoints("evil\u00a0")).toBe("evil<U+00A0>");
    expect(describeCodePoints(" a b\u200b\n")).toBe("<U+0020>a b<U+200B><U+000A>");
    expect(wmiNameSkeleton("E v\u00a0i\u200bL ")).toBe("evil");
  });
});

describe("Elastic Defend API events", () => {
  const sample = JSON.parse(
    readFileSync(
      path.join(DATASETS_DIR, "elastic-endpoint-package/package/endpoint/data_stream/api/sample_event.json"),
      "utf8",
    ),
  ) as EcsDocument;

  it("takes names from the API parameters and reports the missing command", () => {
    const r = rebuildSubscription(sample, []);
    expect(r.consumer).toMatchObject({
      source: "endpoint-api",
      name: "ExampleConsumer",
      className: "CommandLineEventConsumer",
    });
    expect(r.filter).toMatchObject({ source: "endpoint-api", name: "ExampleFilter", eventNamespace: "root\\CimV2" });
    expect(r.missing.some((m) => m.includes('consumer "ExampleConsumer"'))).toBe(true);
  });

  it("reads the command from consumer_details when Defend records it", () => {
    const doc = structuredClone(sample) as { process: { Ext: { api: { parameters: Record<string, string> } } } };
    doc.process.Ext.api.parameters.consumer_details =
      'CommandLineEventConsumer{CommandLineTemplate = "powershell.exe -enc SQBFAFgA"; Name = "ExampleConsumer";};';
    doc.process.Ext.api.parameters.event_filter_details =
      '__EventFilter{EventNamespace = "root\\\\CimV2"; Name = "ExampleFilter"; Query = "SELECT * FROM __InstanceModificationEvent"; QueryLanguage = "WQL";};';
    const r = rebuildSubscription(doc, []);
    expect(r.consumer?.destination).toBe("powershell.exe -enc SQBFAFgA");
    expect(r.filter?.query).toBe("SELECT * FROM __InstanceModificationEvent");
    expect(r.filter?.eventNamespace).toBe("root\\CimV2");
    expect(r.missing).toEqual([]);
  });

  it("an API alert that names no consumer or filter does not depend on the host's events", () => {
    const doc = structuredClone(sample) as { host: unknown; process: { Ext: { api: { parameters: object } } } };
    doc.process.Ext.api.parameters = { consumer_type: "ActiveScriptEventConsumer" };
    const hostEvents = ["19", "20"].map((eventCode) => ({
      "@timestamp": "2020-01-01T00:00:00Z",
      host: doc.host,
      event: { code: eventCode, dataset: "windows.sysmon_operational" },
      winlog: { event_data: { Operation: "Created", Name: ' "ExampleConsumer"', Destination: "calc.exe" } },
    }));
    expect(usesHostEvents(doc as EcsDocument)).toBe(false);
    expect(rebuildSubscription(doc as EcsDocument, hostEvents)).toEqual(rebuildSubscription(doc as EcsDocument, []));
    // with a name, the host's events are read (the command of a consumer the API event does not carry)
    expect(usesHostEvents(sample)).toBe(true);
    const named = structuredClone(doc);
    named.process.Ext.api.parameters = { consumer_type: "CommandLineEventConsumer", consumer_name: "ExampleConsumer" };
    expect(usesHostEvents(named as EcsDocument)).toBe(true);
    expect(rebuildSubscription(named as EcsDocument, hostEvents).consumer?.destination).toBe("calc.exe");
  });

  it("parseMofInstance handles escaped quotes and semicolons inside values", () => {
    const mof = parseMofInstance(
      'ActiveScriptEventConsumer{Name = "a;b"; ScriptText = "x = \\"1\\"; y"; ScriptingEngine = "VBScript";};',
    );
    expect(mof.className).toBe("ActiveScriptEventConsumer");
    expect(mof.properties).toEqual({ Name: "a;b", ScriptText: 'x = "1"; y', ScriptingEngine: "VBScript" });
  });
});

describe("consumer command after Elastic's pipeline", () => {
  it("reads a normalised Sysmon 20 event's command from process.executable (the pipeline renames Destination)", () => {
    const binding = {
      "@timestamp": "2024-01-01T00:00:10Z",
      host: { name: "ws-1" },
      event: { code: "21" },
      winlog: {
        computer_name: "ws-1",
        event_data: {
          Operation: "Created",
          Consumer: ' "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"c1\\""',
          Filter: ' "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"f1\\""',
        },
      },
    };
    const consumer = {
      "@timestamp": "2024-01-01T00:00:05Z",
      host: { name: "ws-1" },
      event: { code: "20" },
      winlog: { computer_name: "ws-1", event_data: { Operation: "Created", Name: ' "c1"', Type: "Command Line" } },
      process: { executable: ' "C:\\\\Windows\\\\System32\\\\notepad.exe"' },
    };
    const rebuilt = rebuildSubscription(binding, [consumer]);
    expect(rebuilt.consumer?.source).toBe("sysmon-20");
    expect(rebuilt.consumer?.destination).toBe("C:\\Windows\\System32\\notepad.exe");
  });
});
