import { z } from "zod";
import { CURRENT_RULE } from "@/lib/rule/rules";

/**
 * A training scenario as data: its own ECS events (never the live `event` table), a hidden
 * expected verdict, and questions attached to the guide's step ids. Shared by the shipped packs,
 * the trainer's forms and the database rows (`training_scenario.questions`).
 */

/** The live alert's verdict vocabulary, plus what only training needs: the rule missed real activity. */
export const TRAINING_VERDICTS = ["true_positive", "benign_positive", "false_positive", "false_negative"] as const;
export type TrainingVerdict = (typeof TRAINING_VERDICTS)[number];

export const VERDICT_LABELS: Record<TrainingVerdict, string> = {
  true_positive: "True positive — malicious, the rule was right",
  benign_positive: "Benign positive — the rule was right, the activity is legitimate",
  false_positive: "False positive — the rule should not have matched",
  false_negative: "Missed — malicious activity the rule did not alert on",
};

/** The verdict is scored like a question; its id is the step key it is recorded under. */
export const VERDICT_STEP_ID = "verdict";
export const VERDICT_POINTS = 10;

/** Every guide step a question can sit on, plus `overview` ("why it matched"). */
export const GUIDE_STEP_IDS: readonly string[] = [
  CURRENT_RULE.guide.overview.id,
  ...CURRENT_RULE.guide.investigation.map((s) => s.id),
  ...CURRENT_RULE.guide.falsePositives.map((s) => s.id),
  ...CURRENT_RULE.guide.response.map((s) => s.id),
];

export const hintSchema = z.object({
  text: z.string().trim().min(1, "a hint needs text").max(2000),
  cost: z.number().int().min(0).max(100),
});

export const questionSchema = z
  .object({
    /** stable within the scenario: what answers and hints are recorded under */
    id: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "question id: lowercase letters, digits and dashes"),
    stepId: z.string().refine((s) => GUIDE_STEP_IDS.includes(s), "not a step id of the rule's guide"),
    prompt: z.string().trim().min(1, "a question needs a prompt").max(1000),
    /** multiple choice when present; otherwise free text */
    choices: z.array(z.string().trim().min(1).max(300)).min(2).max(10).optional(),
    answer: z.string().trim().min(1, "a question needs an expected answer").max(1000),
    /** other free-text answers that count as right (compared normalised) */
    accept: z.array(z.string().trim().min(1).max(1000)).max(20).default([]),
    /** why: shown with the feedback */
    explanation: z.string().trim().max(2000).default(""),
    hints: z.array(hintSchema).max(5).default([]),
    points: z.number().int().min(0).max(100).default(10),
  })
  .refine((q) => !q.choices || q.choices.includes(q.answer), {
    message: "the expected answer must be one of the choices",
    path: ["answer"],
  });

export type TrainingQuestion = z.infer<typeof questionSchema>;
export type TrainingQuestionInput = z.input<typeof questionSchema>;

export const questionsSchema = z
  .array(questionSchema)
  .max(50)
  .superRefine((qs, ctx) => {
    const seen = new Set<string>();
    for (const q of qs) {
      if (seen.has(q.id)) ctx.addIssue({ code: "custom", message: `duplicate question id ${q.id}` });
      seen.add(q.id);
    }
  });

export const scenarioFieldsSchema = z.object({
  title: z.string().trim().min(1, "a title is required").max(200),
  description: z.string().trim().max(5000).default(""),
  sourceNote: z.string().trim().max(2000).default(""),
  expectedVerdict: z.enum(TRAINING_VERDICTS),
  questions: questionsSchema,
});
export type ScenarioFields = z.infer<typeof scenarioFieldsSchema>;

/** What a trainee may see of a question: never the answer. */
export interface PublicQuestion {
  id: string;
  stepId: string;
  prompt: string;
  choices?: string[];
  points: number;
  hints: { index: number; cost: number }[];
}

export function toPublicQuestion(q: TrainingQuestion): PublicQuestion {
  return {
    id: q.id,
    stepId: q.stepId,
    prompt: q.prompt,
    choices: q.choices,
    points: q.points,
    hints: q.hints.map((h, index) => ({ index, cost: h.cost })),
  };
}

/** Reads a stored questions column; rows written before a schema change fail loudly, naming the issue. */
export function parseStoredQuestions(value: unknown): TrainingQuestion[] {
  const result = questionsSchema.safeParse(value);
  if (!result.success) throw new Error(`stored training questions are invalid: ${result.error.issues[0]?.message}`);
  return result.data;
}
