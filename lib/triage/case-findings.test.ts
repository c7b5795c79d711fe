import { describe, expect, it } from "vitest";
import { buildAttackTimeline, collectIndicators, type CaseAlertEvidence } from "./case-findings";
import { buildSubscriptionLife } from "./subscription-life";
import { rebuildSubscription } from "./wmi-subscription";

const consumerRef = `"\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"Updater\\""`;
const filterRef = `"\\\\.\\ROOT\\subscription:__EventFilter.Name=\\"Updater\\""`;
// powershell -enc of `Write-Host pwned` (UTF-16LE, base64)
const encoded = Buffer.from("Write-Host pwned", "utf16le").toString("base64");
const command = `powershell.exe -NoP -enc ${encoded}`;

const binding = {
  "@timestamp": "2024-05-01T10:00:02.000Z",
  event: { code: "21" },
  host: { name: "WS-1" },
  user: { name: "alice" },
  winlog: { computer_name: "WS-1", event_data: { Operation: "Created", Consumer: consumerRef, Filter: filterRef } },
};
const consumer = {
  "@timestamp": "2024-05-01T10:00:01.000Z",
  event: { code: "20" },
  host: { name: "WS-1" },
  winlog: {
    computer_name: "WS-1",
    event_data: { Operation: "Created", Name: ' "Updater"', Type: "Command Line", Destination: ` "${command}"` },
  },
};
const execution = {
  "@timestamp": "2024-05-01T10:05:00.000Z",
  host: { name: "WS-1" },
  user: { name: "SYSTEM" },
  process: { name: "powershell.exe", command_line: command, parent: { name: "WmiPrvSE.exe" } },
  winlog: {
    event_data: { Hashes: "SHA1=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,MD5=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" },
  },
};

function evidence(): CaseAlertEvidence {
  const hostEvents = [consumer, binding];
  const sub = rebuildSubscription(binding, hostEvents);
  return {
    alertId: "a1",
    host: "WS-1",
    user: "alice",
    command,
    sub,
    life: buildSubscriptionLife(binding, sub, hostEvents),
  };
}

describe("case findings", () => {
  it("orders the subscription's events and the consumer's executions into one timeline", () => {
    const timeline = buildAttackTimeline([evidence(), evidence()], [execution]);
    expect(timeline.map((t) => [t.what, t.operation])).toEqual([
      ["Consumer", "Created"],
      ["Binding", "Created"],
      ["Consumer execution", "run by WmiPrvSE.exe"],
    ]);
    expect(timeline[2]).toMatchObject({ host: "WS-1", user: "SYSTEM", detail: command });
  });

  it("collects hosts, users, names, commands, decoded payloads and Sysmon hashes", () => {
    const i = collectIndicators([evidence()], [execution]);
    expect(i.hosts).toEqual(["WS-1"]);
    expect(i.users).toEqual(["alice", "SYSTEM"]);
    expect(i.consumers).toEqual(["Updater"]);
    expect(i.filters).toEqual(["Updater"]);
    expect(i.commands).toEqual([command]);
    expect(i.payloads).toEqual([{ kind: "powershell-encoded", source: encoded, decoded: "Write-Host pwned" }]);
    expect(i.hashes).toEqual(["MD5=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "SHA1=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]);
  });
});
