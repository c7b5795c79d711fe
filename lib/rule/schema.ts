import { z } from "zod";

/**
 * A detection rule as data. Field names follow Kibana's rule API (`rule_id`, `risk_score`,
 * `max_signals`, `timestamp_override`, `threat`) in camelCase; `threat` keeps Kibana's exact
 * shape so it can be exported back unchanged.
 */

/** Step ids are stored in the database as triage step keys: stable, never positional. */
export const stepIdSchema = z
  .string()
  .regex(
    /^(overview|(investigation|fp|response)\.[a-z0-9]+(-[a-z0-9]+)*)$/,
    "step id must look like `investigation.some-name`",
  );

export const guideStepSchema = z.object({
  id: stepIdSchema,
  /** short label for checklists; ours, not from the published guide */
  label: z.string().min(1),
  /** the published guide's text, verbatim */
  text: z.string().min(1),
});

export const guideSchema = z.object({
  overview: z.object({ id: z.literal("overview"), title: z.string().min(1), text: z.string().min(1) }),
  investigation: z.array(guideStepSchema).min(1),
  falsePositives: z.array(guideStepSchema),
  response: z.array(guideStepSchema).min(1),
});

const threatRefSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  reference: z.url(),
});

export const threatSchema = z.object({
  framework: z.literal("MITRE ATT&CK"),
  tactic: threatRefSchema.extend({ id: z.string().regex(/^TA\d{4}$/) }),
  technique: z
    .array(
      threatRefSchema.extend({
        id: z.string().regex(/^T\d{4}$/),
        subtechnique: z.array(threatRefSchema.extend({ id: z.string().regex(/^T\d{4}\.\d{3}$/) })).optional(),
      }),
    )
    .optional(),
});

export const ruleDefinitionSchema = z
  .object({
    ruleId: z.uuid(),
    version: z.number().int().positive(),
    name: z.string().min(1),
    description: z.string().min(1),
    type: z.literal("eql"),
    language: z.literal("eql"),
    index: z.array(z.string().min(1)).min(1),
    query: z.string().min(1),
    severity: z.enum(["low", "medium", "high", "critical"]),
    riskScore: z.number().int().min(0).max(100),
    /** Kibana's schedule interval, e.g. `5m` */
    interval: z.string().regex(/^\d+[smhd]$/),
    /** date math lower bound of the look-back, e.g. `now-9m` */
    from: z.string().regex(/^now(-\d+[smhdwMy])?$/),
    maxSignals: z.number().int().positive(),
    timestampOverride: z.string().min(1).optional(),
    references: z.array(z.url()),
    tags: z.array(z.string().min(1)),
    author: z.array(z.string().min(1)).min(1),
    license: z.string().min(1),
    threat: z.array(threatSchema),
    guide: guideSchema,
  })
  .superRefine((rule, ctx) => {
    const all = [
      rule.guide.overview,
      ...rule.guide.investigation,
      ...rule.guide.falsePositives,
      ...rule.guide.response,
    ];
    const seen = new Set<string>();
    for (const step of all) {
      if (seen.has(step.id))
        ctx.addIssue({ code: "custom", message: `duplicate guide step id ${step.id}`, path: ["guide"] });
      seen.add(step.id);
    }
    const sections = [
      ["investigation", rule.guide.investigation],
      ["fp", rule.guide.falsePositives],
      ["response", rule.guide.response],
    ] as const;
    for (const [prefix, steps] of sections) {
      for (const step of steps) {
        if (!step.id.startsWith(`${prefix}.`)) {
          ctx.addIssue({ code: "custom", message: `step ${step.id} is not in section ${prefix}`, path: ["guide"] });
        }
      }
    }
  });

export type RuleDefinition = z.infer<typeof ruleDefinitionSchema>;
export type GuideStep = z.infer<typeof guideStepSchema>;
export type RuleGuide = z.infer<typeof guideSchema>;
export type ThreatMapping = z.infer<typeof threatSchema>;
