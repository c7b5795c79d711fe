import type { EqlQuery } from "@/lib/eql/ast";
import { parseEql } from "@/lib/eql/parser";
import type { RuleDefinition } from "./schema";

const parsed = new Map<string, EqlQuery>();

/** The rule's EQL query, parsed once per rule version for every caller (detection, blind spots, what-if, training). */
export function ruleQuery(rule: RuleDefinition): EqlQuery {
  const key = `${rule.ruleId}@${rule.version}`;
  let query = parsed.get(key);
  if (!query) {
    query = parseEql(rule.query);
    parsed.set(key, query);
  }
  return query;
}
