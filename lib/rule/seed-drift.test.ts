import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CURRENT_RULE, getRule, RULES } from "./rules";
import { ruleDefinitionSchema } from "./schema";

/**
 * The published rule page (seed) is the source of truth; the JSON must not drift from it.
 * The seed is read at test time so an edit on either side fails here.
 */
const SEED_PATH = path.resolve(process.cwd(), "../shared/seed/rule-wmi-event-subscription.txt");
const seed = readFileSync(SEED_PATH, "utf8");
const lines = seed.split("\n");
const rule = getRule("e72f87d0-a70e-4f8d-8443-a6407bc34643", 307)!;

function lineIndex(exact: string): number {
  const i = lines.indexOf(exact);
  if (i < 0) throw new Error(`seed has no line ${JSON.stringify(exact)}`);
  return i;
}

/** `  • item` lines between two heading lines */
function bulletsBetween(start: string, end: string): string[] {
  const from = lineIndex(start);
  const to = lines.indexOf(end, from + 1);
  if (to < 0) throw new Error(`seed has no line ${JSON.stringify(end)} after ${JSON.stringify(start)}`);
  return lines
    .slice(from + 1, to)
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const m = /^ {2}• (.*)$/.exec(l);
      if (!m) throw new Error(`unexpected line in ${start}: ${JSON.stringify(l)}`);
      return m[1];
    });
}

function valueAfter(label: string): string {
  const line = lines.find((l) => l.startsWith(`${label}:`));
  if (line === undefined) throw new Error(`seed has no "${label}:" line`);
  return line.slice(label.length + 1).trim();
}

describe("rule data vs. the published rule page", () => {
  it("the rule exists and is the current one", () => {
    expect(rule).toBeDefined();
    expect(CURRENT_RULE).toBe(rule);
    expect(RULES).toContain(rule);
  });

  it("name and description", () => {
    // the page title is the first non-empty line after the "Loading" placeholder
    expect(lines[lineIndex("Loading") + 2]).toBe(rule.name);
    const descIdx = lineIndex("Elastic Stack Serverless Security") + 2;
    expect(lines[descIdx]).toBe(rule.description);
  });

  it("metadata values", () => {
    expect(valueAfter("Rule type")).toBe(rule.type);
    expect(valueAfter("Severity")).toBe(rule.severity);
    expect(Number(valueAfter("Risk score"))).toBe(rule.riskScore);
    expect(valueAfter("Runs every")).toBe(rule.interval);
    expect(valueAfter("Searches indices from").split(" ")[0]).toBe(rule.from);
    expect(Number(valueAfter("Maximum alerts per execution"))).toBe(rule.maxSignals);
    expect(Number(valueAfter("Version"))).toBe(rule.version);
    expect(valueAfter("Rule license")).toBe(rule.license);
    expect(bulletsBetween("Rule indices:", "Severity: medium")).toEqual(rule.index);
    expect(bulletsBetween("Rule authors:", "Rule license: Elastic License v2")).toEqual(rule.author);
    expect(bulletsBetween("References:", "Tags:")).toEqual(rule.references);
  });

  it("tags, in order", () => {
    expect(bulletsBetween("Tags:", `Version: ${rule.version}`)).toEqual(rule.tags);
  });

  it("threat mapping agrees with the page's framework and tactic tag", () => {
    expect(valueAfter("Framework").replace(/TM$/, "")).toBe(rule.threat[0].framework);
    const tacticTags = rule.tags.filter((t) => t.startsWith("Tactic: ")).map((t) => t.slice("Tactic: ".length));
    expect(rule.threat.map((t) => t.tactic.name)).toEqual(tacticTags);
    expect(rule.threat[0].tactic.id).toBe("TA0003");
    expect(rule.threat[0].technique?.[0].subtechnique?.[0].id).toBe("T1546.003");
  });

  it("query, byte for byte", () => {
    const start = lineIndex("any where");
    const end = lines.findIndex((l) => l.startsWith("Framework:"));
    const queryLines = lines.slice(start, end);
    while (queryLines.at(-1) === "") queryLines.pop();
    expect(rule.query).toBe(queryLines.join("\n"));
  });

  it("guide overview", () => {
    const titleIdx = lineIndex(rule.guide.overview.title);
    // the overview is the first heading after "Triage and analysis" (past the page's quote placeholder)
    const after = lines.slice(lineIndex("Triage and analysis") + 1).filter((l) => l !== "" && l !== "[TBC: QUOTE]");
    expect(after[0]).toBe(rule.guide.overview.title);
    expect(lines[titleIdx + 2]).toBe(rule.guide.overview.text);
  });

  it("guide steps, every character, in order", () => {
    expect(bulletsBetween("Possible investigation steps", "False positive analysis")).toEqual(
      rule.guide.investigation.map((s) => s.text),
    );
    expect(bulletsBetween("False positive analysis", "Response and remediation")).toEqual(
      rule.guide.falsePositives.map((s) => s.text),
    );
    expect(bulletsBetween("Response and remediation", "any where")).toEqual(rule.guide.response.map((s) => s.text));
  });
});

describe("rule schema", () => {
  it("rejects duplicate step ids and positional ids", () => {
    const dup = structuredClone(rule);
    dup.guide.response[1] = { ...dup.guide.response[1], id: dup.guide.response[0].id };
    expect(ruleDefinitionSchema.safeParse(dup).success).toBe(false);
    const positional = structuredClone(rule);
    positional.guide.falsePositives[0] = { ...positional.guide.falsePositives[0], id: "fp.1" };
    // digits are allowed in names, but a step must sit in its own section
    positional.guide.falsePositives[1] = { ...positional.guide.falsePositives[1], id: "response.x" };
    expect(ruleDefinitionSchema.safeParse(positional).success).toBe(false);
    expect(ruleDefinitionSchema.safeParse(rule).success).toBe(true);
  });

  it("getRule without version returns the highest; unknown ids give undefined", () => {
    expect(getRule(rule.ruleId)).toBe(rule);
    expect(getRule(rule.ruleId, 1)).toBeUndefined();
    expect(getRule("00000000-0000-0000-0000-000000000000")).toBeUndefined();
  });
});
