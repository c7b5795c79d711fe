import { describe, expect, it } from "vitest";
import type { EcsDocument } from "@/lib/ecs/document";
import { getString } from "./fields";
import { collectStepEvidence } from "./investigation-evidence";
import { consumerKindOf, describeOffset, rankRelatedProcesses, wmiTooling } from "./related-processes";
import { loadWindowsXmlEvents } from "./testing/dataset-events";

const T0 = Date.parse("2030-05-01T12:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function proc(s: number, name: string, parent: string, commandLine = name): EcsDocument {
  return {
    "@timestamp": at(s),
    event: { code: "1", category: ["process"], type: ["start"] },
    host: { name: "ws1" },
    process: {
      name,
      executable: `C:\\Windows\\System32\\${name}`,
      command_line: commandLine,
      parent: { name: parent },
    },
  };
}
function wmi(s: number, code: "19" | "20" | "21"): EcsDocument {
  return { "@timestamp": at(s), event: { code }, host: { name: "ws1" } };
}

const names = (ranked: { doc: EcsDocument }[]) => ranked.map((r) => getString(r.doc, "process.command_line"));

describe("rankRelatedProcesses", () => {
  const wmiEvents = [wmi(0, "19"), wmi(10, "20"), wmi(20, "21")];
  const processes = [
    proc(-300, "early.exe", "explorer.exe"),
    proc(9, "before-20.exe", "explorer.exe"),
    proc(400, "late-consumer.exe", "WmiPrvSE.exe"),
    proc(23, "after-21.exe", "explorer.exe"),
    proc(200, "script-child.exe", "scrcons.exe"),
    proc(-2, "wmic.exe", "cmd.exe", "wmic /namespace:\\\\root\\subscription path __EventFilter"),
  ];

  it("puts CommandLine consumer executions (children of WmiPrvSE.exe) first, then by distance to the nearest 19/20/21, both sides", () => {
    const ranked = rankRelatedProcesses(processes, { consumerKind: "commandline", wmiEvents });
    expect(names(ranked)).toEqual([
      "late-consumer.exe",
      "before-20.exe", // 1 s before the 20
      "wmic /namespace:\\\\root\\subscription path __EventFilter", // 2 s before the 19
      "after-21.exe", // 3 s after the 21
      "script-child.exe", // 180 s after the 21: a scrcons child is no CommandLine consumer run
      "early.exe",
    ]);
    expect(ranked[0].rank).toBe("consumer-execution");
    expect(ranked[1]).toMatchObject({ rank: "near-wmi-event", offsetMs: -1000, nearest: "Sysmon 20" });
    expect(ranked[3]).toMatchObject({ offsetMs: 3000, nearest: "Sysmon 21" });
  });

  it("for an ActiveScript consumer, scrcons.exe's children are the executions", () => {
    const ranked = rankRelatedProcesses(processes, { consumerKind: "script", wmiEvents });
    expect(names(ranked)[0]).toBe("script-child.exe");
    expect(ranked.filter((r) => r.rank === "consumer-execution")).toHaveLength(1);
  });

  it("with the consumer's class unknown, both kinds of execution come first, oldest first", () => {
    const ranked = rankRelatedProcesses(processes, { consumerKind: "unknown", wmiEvents });
    expect(names(ranked).slice(0, 2)).toEqual(["script-child.exe", "late-consumer.exe"]);
  });

  it("tags WMI tooling wherever it ranks", () => {
    expect(wmiTooling(proc(0, "wmic.exe", "cmd.exe"))).toBe("wmic");
    expect(wmiTooling(proc(0, "mofcomp.exe", "cmd.exe"))).toBe("mofcomp");
    expect(wmiTooling(proc(0, "certutil.exe", "cmd.exe"))).toBe("certutil");
    expect(wmiTooling(proc(0, "scrcons.exe", "svchost.exe"))).toBe("scrcons");
    expect(
      wmiTooling(
        proc(
          0,
          "powershell.exe",
          "cmd.exe",
          "powershell -c Set-WmiInstance -Class __EventFilter -Namespace root\\subscription",
        ),
      ),
    ).toBe("PowerShell Set-WmiInstance");
    expect(
      wmiTooling(proc(0, "pwsh.exe", "cmd.exe", "pwsh -c New-CimInstance -ClassName __FilterToConsumerBinding")),
    ).toBe("PowerShell New-CimInstance");
    expect(wmiTooling(proc(0, "powershell.exe", "cmd.exe", "powershell Register-WmiEvent -Query x"))).toBe(
      "PowerShell Register-WmiEvent",
    );
    // PowerShell doing something else is not WMI tooling
    expect(wmiTooling(proc(0, "powershell.exe", "cmd.exe", "powershell Get-Date"))).toBeUndefined();
    expect(wmiTooling(proc(0, "notepad.exe", "cmd.exe"))).toBeUndefined();
  });

  it("reads the consumer's kind from its class or Sysmon's Type", () => {
    expect(consumerKindOf("CommandLineEventConsumer")).toBe("commandline");
    expect(consumerKindOf("Command Line")).toBe("commandline");
    expect(consumerKindOf("ActiveScriptEventConsumer")).toBe("script");
    expect(consumerKindOf("Script")).toBe("script");
    expect(consumerKindOf(null)).toBe("unknown");
  });

  it("says the distance in words", () => {
    expect(describeOffset(-1000, "Sysmon 20")).toBe("1 s before Sysmon 20");
    expect(describeOffset(400, "Sysmon 21")).toBe("400 ms after Sysmon 21");
    expect(describeOffset(185_000, "Sysmon 21")).toBe("3 min 5 s after Sysmon 21");
  });
});

describe("the related-processes step", () => {
  it("lists the consumer's execution first and tags it and the WMI tools", () => {
    const alert: EcsDocument = {
      ...wmi(20, "21"),
      winlog: {
        event_data: {
          Operation: "Created",
          Consumer: '"\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"c1\\""',
          Filter: '"\\\\.\\ROOT\\subscription:__EventFilter.Name=\\"f1\\""',
        },
      },
    };
    const wmic = proc(-2, "wmic.exe", "cmd.exe", "wmic /namespace:\\\\root\\subscription path __EventFilter create");
    const items = collectStepEvidence("investigation.related-activity", alert, {
      hostEvents: [proc(-60, "early.exe", "explorer.exe"), wmic, proc(400, "payload.exe", "WmiPrvSE.exe")],
      wmiEvents: [wmi(0, "19"), wmi(10, "20"), alert],
    });
    expect(items.map((i) => i.value)).toEqual([
      "payload.exe",
      "wmic /namespace:\\\\root\\subscription path __EventFilter create",
      "early.exe",
    ]);
    expect(items[0].tags).toEqual(["consumer execution (child of WmiPrvSE.exe)"]);
    expect(items[0].label).toContain("6 min 20 s after Sysmon 21");
    expect(items[1].tags).toEqual(["WMI tooling: wmic"]);
    expect(items[1].label).toContain("2 s before Sysmon 19");
    expect(items[2].tags).toBeUndefined();
  });

  it("never lists the subscription's own Sysmon 20 event as a process (Elastic puts its Destination in process.executable)", () => {
    const alert = { ...wmi(20, "21"), event: { code: "21", dataset: "windows.sysmon_operational" } };
    const consumer20: EcsDocument = {
      ...wmi(10, "20"),
      event: { code: "20", dataset: "windows.sysmon_operational" },
      process: { executable: "C:\\Windows\\System32\\notepad.exe" },
    };
    const items = collectStepEvidence("investigation.related-activity", alert, {
      hostEvents: [consumer20, proc(12, "cmd.exe", "explorer.exe")],
      wmiEvents: [consumer20, alert],
    });
    expect(items.map((i) => i.value)).toEqual(["cmd.exe"]);
  });

  it("on the Atomic Red Team recording, processes nearest the 19/20/21 events come first", () => {
    const panache = loadWindowsXmlEvents("evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml");
    const alert = panache.find((e) => getString(e, "event.code") === "21")!;
    const wmiEvents = panache.filter((e) => ["19", "20", "21"].includes(getString(e, "event.code") ?? ""));
    const items = collectStepEvidence("investigation.related-activity", alert, {
      hostEvents: panache,
      wmiEvents,
      windowMinutes: 1,
    });
    expect(items.length).toBeGreaterThan(1);
    const distance = (label: string) => {
      const m = /· (\d+(?:\.\d+)?) (ms|s) /.exec(label);
      return m ? Number(m[1]) * (m[2] === "s" ? 1000 : 1) : Number.POSITIVE_INFINITY;
    };
    const plain = items.filter((i) => !i.tags?.some((t) => t.startsWith("consumer execution")));
    const d = plain.map((i) => distance(i.label));
    expect([...d].sort((a, b) => a - b)).toEqual(d);
  });
});
