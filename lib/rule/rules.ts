import { ruleDefinitionSchema, type RuleDefinition } from "./schema";
import wmiEventSubscriptionV307 from "./data/wmi-event-subscription-v307.json" with { type: "json" };

/**
 * Every rule version the app knows. Add a newer version as a second JSON file and one line
 * here; alerts keep pointing at the version that produced them (ruleId + version).
 */
const RAW_RULES: ReadonlyArray<{ source: string; data: unknown }> = [
  { source: "wmi-event-subscription-v307.json", data: wmiEventSubscriptionV307 },
];

function parseRule(source: string, data: unknown): RuleDefinition {
  const result = ruleDefinitionSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`invalid rule definition ${source}: ${issues}`);
  }
  return result.data;
}

export const RULES: RuleDefinition[] = RAW_RULES.map((r) => parseRule(r.source, r.data));

/** The version the detection engine runs now: the highest version of the (single) rule. */
export const CURRENT_RULE: RuleDefinition = RULES.reduce((a, b) => (b.version > a.version ? b : a));

/** A rule by id; without `version`, its highest version. */
export function getRule(ruleId: string, version?: number): RuleDefinition | undefined {
  const candidates = RULES.filter((r) => r.ruleId === ruleId && (version === undefined || r.version === version));
  if (candidates.length === 0) return undefined;
  return candidates.reduce((a, b) => (b.version > a.version ? b : a));
}

export type { RuleDefinition, GuideStep, RuleGuide, ThreatMapping } from "./schema";
