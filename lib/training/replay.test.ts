import { describe, expect, it } from "vitest";
import { buildExpectedPath, buildReplay } from "./replay";
import { questionSchema } from "./scenario";
import type { PathAction } from "./scoring";

const questions = [
  questionSchema.parse({
    id: "type",
    stepId: "investigation.sysmon-21-fields",
    prompt: "Which consumer type?",
    answer: "CommandLineEventConsumer",
    hints: [{ text: "read the class", cost: 3 }],
  }),
  questionSchema.parse({
    id: "fp",
    stepId: "fp.admin-tools",
    prompt: "Which FP item?",
    choices: ["none", "fp.admin-tools"],
    answer: "none",
  }),
];
const at = (s: number) => new Date(Date.UTC(2024, 0, 1, 10, 0, s));

describe("replay builder", () => {
  const actions: PathAction[] = [
    { kind: "open-step", stepId: "investigation.sysmon-21-fields", payload: {}, correct: null, points: 0, at: at(0) },
    {
      kind: "hint",
      stepId: "investigation.sysmon-21-fields",
      payload: { questionId: "type", hintIndex: 0, cost: 3 },
      correct: null,
      points: 0,
      at: at(10),
    },
    {
      kind: "answer",
      stepId: "investigation.sysmon-21-fields",
      payload: { questionId: "type", answer: "CommandLineEventConsumer" },
      correct: true,
      points: 7,
      at: at(25),
    },
    {
      kind: "answer",
      stepId: "fp.admin-tools",
      payload: { questionId: "fp", answer: "fp.admin-tools" },
      correct: false,
      points: 0,
      at: at(40),
    },
    {
      kind: "verdict",
      stepId: "verdict",
      payload: { verdict: "benign_positive" },
      correct: false,
      points: 0,
      at: at(60),
    },
    { kind: "complete", stepId: null, payload: { score: 7, maxScore: 30 }, correct: null, points: 0, at: at(60) },
  ];

  it("shows each action with what was given, what was expected, hints and time", () => {
    const frames = buildReplay(questions, "true_positive", actions);
    expect(frames).toHaveLength(6);
    expect(frames[0]).toMatchObject({ summary: "Opened “Sysmon 21: Operation and Consumer”", sinceStartMs: 0 });
    expect(frames[1]).toMatchObject({
      kind: "hint",
      hint: { index: 0, text: "read the class", cost: 3 },
      sincePreviousMs: 10_000,
    });
    expect(frames[2]).toMatchObject({
      given: "CommandLineEventConsumer",
      expected: "CommandLineEventConsumer",
      correct: true,
      runningScore: 7,
      question: { prompt: "Which consumer type?" },
    });
    expect(frames[3]).toMatchObject({
      given: "fp.admin-tools",
      expected: "none",
      correct: false,
      runningScore: 7,
      stepLabel: "Administrative scripts or tools",
    });
    expect(frames[4].expected).toMatch(/^True positive/);
    expect(frames[4].given).toMatch(/^Benign positive/);
    expect(frames[5].summary).toBe("Completed: 7 / 30");
  });

  it("lists the expected path in the guide's order, ending with the verdict", () => {
    const expected = buildExpectedPath(questions, "true_positive");
    expect(expected.map((s) => s.stepId)).toEqual(["investigation.sysmon-21-fields", "fp.admin-tools", "verdict"]);
    expect(expected[2].questions[0].answer).toMatch(/^True positive/);
  });

  it("an empty path is an empty replay", () => {
    expect(buildReplay(questions, "true_positive", [])).toEqual([]);
  });
});
