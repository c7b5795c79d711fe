/**
 * A second app instance's worker, for lib/services/two-instances.int.test.ts: its own process,
 * pool and connections. Prints "ready" once connected, runs one scheduled execution of the rule
 * (argv: tick time ISO, rule id) when it reads "go" on stdin, and prints the outcome as JSON.
 */
import { createInterface } from "node:readline";
import { closeDb } from "@/lib/db/client";
import { isRuleEnabled } from "@/lib/data/rule-state";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { runScheduledDetection } from "@/lib/services/scheduler-service";

const [at, ruleId] = process.argv.slice(2);
const rule = { ...CURRENT_RULE, ruleId };
await isRuleEnabled(ruleId); // connects, so both processes start the race from the same line
console.log("ready");
for await (const line of createInterface({ input: process.stdin })) if (line.trim() === "go") break;
const outcome = await runScheduledDetection(new Date(at), rule);
console.log(JSON.stringify({ status: outcome.status, alertsCreated: outcome.result?.alertsCreated ?? 0 }));
await closeDb();
