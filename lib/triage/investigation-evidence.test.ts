import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeWinEvent } from "@/lib/ecs/normalize-winevent";
import { parseEventXml } from "@/lib/ingest/parse-event-xml";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { collectStepEvidence } from "./investigation-evidence";
import { getString } from "./fields";
import { loadNxlogEvents, loadWindowsXmlEvents } from "./testing/dataset-events";

const panache = loadWindowsXmlEvents("evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml");
const alert = panache.find((e) => getString(e, "event.code") === "21")!;
const value = (items: { label: string; value: string | null }[], label: string) =>
  items.find((i) => i.label === label)?.value;

describe("collectStepEvidence", () => {
  it("has a collector for every investigation step of the guide", () => {
    for (const step of CURRENT_RULE.guide.investigation) {
      const items = collectStepEvidence(step.id, alert, { hostEvents: panache });
      expect(items.every((i) => !(i.missing ?? "").startsWith("no evidence collector"))).toBe(true);
    }
    expect(collectStepEvidence("investigation.nope", alert)[0].missing).toMatch(/no evidence collector/);
  });

  it("step 1: Operation, Consumer and Filter as logged", () => {
    const items = collectStepEvidence("investigation.sysmon-21-fields", alert);
    expect(value(items, "Operation")).toBe("Created");
    expect(value(items, "Consumer")).toContain("subscription:CommandLineEventConsumer.Name=");
    expect(value(items, "Filter")).toContain("__EventFilter.Name=");
  });

  it("step 2 on a Sysmon alert says the API fields are absent and why", () => {
    const items = collectStepEvidence("investigation.api-consumer-type", alert);
    expect(items.every((i) => i.value === null)).toBe(true);
    expect(items[0].missing).toBe("this alert came from Sysmon; the endpoint API fields are absent");
  });

  it("step 2 on a Defend API alert shows consumer_type and the process", () => {
    const api = {
      process: {
        executable: "C:\\x\\evil.exe",
        Ext: {
          api: { name: "IWbemServices::PutInstance", parameters: { consumer_type: "ActiveScriptEventConsumer" } },
        },
      },
      event: { dataset: "endpoint.events.api" },
    };
    const items = collectStepEvidence("investigation.api-consumer-type", api);
    expect(value(items, "Consumer type")).toBe("ActiveScriptEventConsumer");
    expect(value(items, "Process")).toBe("C:\\x\\evil.exe");
    expect(collectStepEvidence("investigation.sysmon-21-fields", api)[0].missing).toMatch(/Elastic Defend/);
  });

  it("step 3: the consumer's command and the filter query, from the host's Sysmon 20/19", () => {
    const items = collectStepEvidence("investigation.consumer-command", alert, { hostEvents: panache });
    expect(value(items, "Command line")).toBe("C:\\Windows\\System32\\notepad.exe");
    expect(value(items, "Trigger (filter query)")).toContain("Win32_PerfFormattedData_PerfOS_System");
  });

  it("step 3: decodes (or reports) the payload of a real encoded consumer (OTRF covenant)", () => {
    const events = loadNxlogEvents("otrf-security-datasets/covenant_persistwmi_2019-12-05044734.json", (r) =>
      [19, 20, 21].includes(r.EventID as number),
    );
    const binding = events.find((e) => getString(e, "event.code") === "21")!;
    const items = collectStepEvidence("investigation.consumer-command", binding, { hostEvents: events });
    const decoded = items.find((i) => i.label === "Decoded powershell-encoded")!;
    expect(decoded.value).toBeNull();
    expect(decoded.missing).toMatch(/invalid base64/);
  });

  it("step 3 without the consumer event says what is missing", () => {
    const items = collectStepEvidence("investigation.consumer-command", alert, { hostEvents: [] });
    const cmd = items.find((i) => i.label === "Command or script")!;
    expect(cmd.value).toBeNull();
    expect(cmd.missing).toMatch(/no Sysmon 20 event/);
  });

  it("step 4: process events on the host near the alert (ranked: lib/triage/related-processes.test.ts)", () => {
    const items = collectStepEvidence("investigation.related-activity", alert, {
      hostEvents: panache,
      windowMinutes: 1,
    });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.value !== null)).toBe(true);
    expect(collectStepEvidence("investigation.related-activity", alert, {})[0].missing).toMatch(/no process events/);
  });

  it("step 5: related alerts from the context", () => {
    const items = collectStepEvidence("investigation.correlate-alerts", alert, {
      relatedAlerts: [
        { id: "a1", ruleName: "Encoded PowerShell", severity: "high", timestamp: "2019-07-19T14:58:00Z" },
      ],
    });
    expect(items).toEqual([
      { label: "2019-07-19T14:58:00Z high Encoded PowerShell", field: "alert a1", value: "Encoded PowerShell" },
    ]);
    expect(collectStepEvidence("investigation.correlate-alerts", alert, {})[0].missing).toMatch(/no other alerts/);
  });

  it("finds the fields Elastic's pipeline moved (User → user.name, Destination → process.executable), never calling them missing", () => {
    // the real recording as the app stores it: every event through the sysmon_operational pipeline port
    const xml = readFileSync(
      path.resolve(
        process.cwd(),
        "../shared/datasets/evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml",
      ),
      "utf8",
    );
    const stored = xml
      .split(/(?=<Event[\s>])/)
      .filter((e) => e.startsWith("<Event") && /<EventID>(19|20|21)<\/EventID>/.test(e))
      .map((e) => normalizeWinEvent(parseEventXml(e.slice(0, e.indexOf("</Event>") + "</Event>".length))));
    const binding = stored.find((e) => getString(e, "event.code") === "21")!;
    expect(getString(binding, "winlog.event_data.User")).toBeUndefined(); // moved, as Elastic does
    expect(getString(binding, "user.name")).toBe("IEUser"); // what the header shows

    const step1 = collectStepEvidence("investigation.sysmon-21-fields", binding);
    expect(step1.find((i) => i.label === "User")).toEqual({
      label: "User",
      field: "user.domain\\user.name",
      value: "MSEDGEWIN10\\IEUser",
    });
    expect(step1.every((i) => i.value !== null)).toBe(true);
    const step3 = collectStepEvidence("investigation.consumer-command", binding, { hostEvents: stored });
    expect(value(step3, "Command line")).toBe("C:\\Windows\\System32\\notepad.exe");
    expect(step3.filter((i) => i.value === null)).toEqual([]);
  });
});
