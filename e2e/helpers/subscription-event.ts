import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

const rule = JSON.parse(readFileSync("lib/rule/data/wmi-event-subscription-v307.json", "utf8")) as { ruleId: string };
const CHANNEL = "Microsoft-Windows-Sysmon/Operational";

/** A Sysmon 21 the rule matches; channel + computer + record id make its fingerprint, hence its alert id. */
export function subscriptionEvent(tag: string, host: string, recordId: number, day = 1) {
  return {
    "@timestamp": new Date(Date.UTC(2024, 6, day, 8, recordId % 60)).toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: host },
    user: { name: "svc_agent" },
    winlog: {
      channel: CHANNEL,
      computer_name: host,
      record_id: recordId,
      event_data: {
        Operation: "Created",
        Consumer: `"\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"${tag}-agent\\""`,
      },
    },
  };
}

/** The alert id detection gives that event (lib/services/detection-service.ts alertIdFor). */
export const alertIdFor = (host: string, recordId: number) =>
  createHash("sha256").update(`${rule.ruleId}\u0000win:${CHANNEL}|${host}|${recordId}`).digest("hex").slice(0, 40);
