import { describe, expect, it } from "vitest";
import type { EcsDocument } from "@/lib/ecs/document";
import { getString } from "./fields";
import { buildSubscriptionLife, subscriptionNamesOf } from "./subscription-life";
import { loadWindowsXmlEvents } from "./testing/dataset-events";
import { rebuildSubscription } from "./wmi-subscription";

const code = (e: EcsDocument) => getString(e, "event.code");
const op = (e: EcsDocument) => getString(e, "winlog.event_data.Operation");

describe("buildSubscriptionLife on the Atomic Red Team recording", () => {
  const events = loadWindowsXmlEvents("evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml");
  const binding = events.find((e) => code(e) === "21" && op(e) === "Created")!;
  const sub = rebuildSubscription(binding, events);

  it("lists every 19/20/21 event of the subscription oldest first, with its operation", () => {
    const life = buildSubscriptionLife(binding, sub, events);
    expect(life.events.map((e) => `${e.part} ${e.operation}`)).toEqual([
      "filter Created",
      "consumer Created",
      "binding Created",
      "binding Deleted",
      "consumer Deleted",
      "filter Deleted",
    ]);
    expect(life.events.filter((e) => e.isAlertEvent).map((e) => e.part)).toEqual(["binding"]);
    expect(life.events[1].detail).toBe("C:\\Windows\\System32\\notepad.exe");
    expect(life.removalLooksDone).toBe(true);
  });

  it("says in words that the binding was deleted 0.4 s later and nothing is left", () => {
    const life = buildSubscriptionLife(binding, sub, events);
    expect(life.state).toMatch(
      /^binding created 2019-07-19 14:57:02\.\d{3}Z and deleted 0\.4 s later; consumer and filter deleted too — nothing of it is present at the last event seen \(2019-07-19 14:57:02\.\d{3}Z\)$/,
    );
  });

  it("still present when no deletion is recorded", () => {
    const upToBinding = events.filter((e) => op(e) !== "Deleted");
    const life = buildSubscriptionLife(binding, sub, upToBinding);
    expect(life.removalLooksDone).toBe(false);
    expect(life.state).toMatch(/^still present: no deletion of the binding recorded/);
  });

  it("a binding of another consumer to the same filter is not this subscription's", () => {
    const other = structuredClone(events.find((e) => code(e) === "21" && op(e) === "Deleted")!);
    const data = (other.winlog as { event_data: Record<string, string> }).event_data;
    data.Consumer = data.Consumer.replace("AtomicRedTeam-WMIPersistence-Example", "SomeoneElse");
    const life = buildSubscriptionLife(binding, sub, events.filter((e) => op(e) !== "Deleted").concat(other));
    expect(life.events.filter((e) => e.part === "binding").map((e) => e.operation)).toEqual(["Created"]);
    expect(life.removalLooksDone).toBe(false);
  });

  it("a Modified event shows the old and the new command", () => {
    const modified = structuredClone(events.find((e) => code(e) === "20" && op(e) === "Created")!);
    const data = (modified.winlog as { event_data: Record<string, string> }).event_data;
    data.Operation = "Modified";
    data.Destination = ' "C:\\\\Windows\\\\Temp\\\\evil.exe"';
    modified["@timestamp"] = "2019-07-19T14:56:00.000Z";
    const life = buildSubscriptionLife(binding, sub, [...events, modified]);
    const m = life.events.find((e) => e.operation === "Modified")!;
    expect(m.part).toBe("consumer");
    expect(m.changes).toEqual([
      { field: "command", before: "C:\\Windows\\System32\\notepad.exe", after: "C:\\Windows\\Temp\\evil.exe" },
    ]);
  });
});

describe("subscriptionNamesOf", () => {
  const events = loadWindowsXmlEvents("evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml");
  const names = (c: string) => events.filter((e) => code(e) === c).map(subscriptionNamesOf);

  it("reads the filter's, the consumer's and the binding's names as logged, which tie the three together", () => {
    const [filter] = names("19");
    const [consumer] = names("20");
    const [binding] = names("21");
    expect(filter).toMatchObject({ part: "filter", filter: "AtomicRedTeam-WMIPersistence-Example" });
    expect(filter.detail).toContain("SELECT * FROM __InstanceModificationEvent");
    expect(consumer).toEqual({
      part: "consumer",
      consumer: "AtomicRedTeam-WMIPersistence-Example",
      detail: "C:\\Windows\\System32\\notepad.exe",
    });
    expect(binding).toEqual({
      part: "binding",
      consumer: "AtomicRedTeam-WMIPersistence-Example",
      consumerClass: "CommandLineEventConsumer",
      filter: "AtomicRedTeam-WMIPersistence-Example",
    });
  });

  it("reads Defend's API parameters, and nothing from other events", () => {
    const api = {
      event: { dataset: "endpoint.events.api" },
      process: {
        Ext: {
          api: {
            name: "IWbemServices::PutInstance",
            parameters: {
              consumer_name: "evil ",
              consumer_type: "ActiveScriptEventConsumer",
              consumer_details: 'ActiveScriptEventConsumer{Name = "evil "; ScriptText = "GetObject(1)";};',
            },
          },
        },
      },
    } as EcsDocument;
    expect(subscriptionNamesOf(api)).toEqual({
      part: "consumer",
      consumer: "evil ",
      consumerClass: "ActiveScriptEventConsumer",
      filter: undefined,
      detail: "GetObject(1)",
    });
    expect(subscriptionNamesOf({ event: { code: "1" } } as EcsDocument)).toEqual({ part: null });
  });
});
