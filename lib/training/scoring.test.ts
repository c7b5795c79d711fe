import { describe, expect, it } from "vitest";
import { questionSchema, VERDICT_POINTS, type TrainingQuestion } from "./scenario";
import { isAnswerCorrect, normalizeAnswer, scorePath, timePerStep, type PathAction } from "./scoring";

const q = (over: Record<string, unknown>): TrainingQuestion =>
  questionSchema.parse({
    id: "q",
    stepId: "investigation.consumer-command",
    prompt: "What command?",
    answer: "C:\\Windows\\System32\\notepad.exe",
    points: 10,
    ...over,
  });

const at = (s: number) => new Date(Date.UTC(2024, 0, 1, 10, 0, s));
const act = (
  kind: PathAction["kind"],
  s: number,
  payload: Record<string, unknown> = {},
  stepId: string | null = "investigation.consumer-command",
  correct: boolean | null = null,
  points = 0,
): PathAction => ({ kind, stepId, payload, correct, points, at: at(s) });

describe("answer normalisation", () => {
  it("folds case, spaces, quotes, trailing punctuation and doubled backslashes", () => {
    expect(normalizeAnswer('  "C:\\\\Windows\\\\System32\\\\NOTEPAD.exe".  ')).toBe(
      "c:\\windows\\system32\\notepad.exe",
    );
    expect(normalizeAnswer("Command   Line\tEvent")).toBe("command line event");
    expect(normalizeAnswer("ＢＶＴConsumer")).toBe("bvtconsumer");
  });

  it("accepts the expected answer and the accepted alternatives, nothing else", () => {
    const question = q({ accept: ["notepad.exe"] });
    expect(isAnswerCorrect(question, "c:\\windows\\system32\\notepad.exe")).toBe(true);
    expect(isAnswerCorrect(question, "C:\\\\Windows\\\\System32\\\\notepad.exe")).toBe(true);
    expect(isAnswerCorrect(question, "Notepad.EXE")).toBe(true);
    expect(isAnswerCorrect(question, "calc.exe")).toBe(false);
    expect(isAnswerCorrect(question, "   ")).toBe(false);
  });

  it("multiple choice compares with the expected choice only", () => {
    const question = q({ choices: ["A thing", "B thing"], answer: "A thing", accept: [] });
    expect(isAnswerCorrect(question, "a thing")).toBe(true);
    expect(isAnswerCorrect(question, "B thing")).toBe(false);
  });

  it("rejects a choice question whose answer is not a choice", () => {
    expect(
      questionSchema.safeParse({ id: "x", stepId: "overview", prompt: "?", choices: ["a", "b"], answer: "c" }).success,
    ).toBe(false);
    expect(questionSchema.safeParse({ id: "x", stepId: "investigation.nope", prompt: "?", answer: "c" }).success).toBe(
      false,
    );
  });
});

describe("scoring with hints", () => {
  const questions = [
    q({
      id: "command",
      hints: [
        { text: "h1", cost: 3 },
        { text: "h2", cost: 5 },
      ],
    }),
    q({ id: "type", stepId: "investigation.sysmon-21-fields", answer: "CommandLineEventConsumer", points: 10 }),
  ];

  it("takes the hint's cost off the question it was taken on", () => {
    const path = [
      act("hint", 1, { questionId: "command", hintIndex: 0, cost: 3 }),
      act("answer", 2, { questionId: "command", answer: "notepad" }),
      act("answer", 3, { questionId: "type", answer: "commandlineeventconsumer" }, "investigation.sysmon-21-fields"),
      act("verdict", 4, { verdict: "true_positive" }, "verdict"),
    ];
    const s = scorePath(
      [questions[0], questions[1]].map((x) => (x.id === "command" ? { ...x, accept: ["notepad"] } : x)),
      "true_positive",
      path,
    );
    expect(s.questions.map((x) => [x.questionId, x.points, x.hintCost])).toEqual([
      ["command", 7, 3],
      ["type", 10, 0],
    ]);
    expect(s.verdict.points).toBe(VERDICT_POINTS);
    expect(s.score).toBe(7 + 10 + VERDICT_POINTS);
    expect(s.maxScore).toBe(20 + VERDICT_POINTS);
  });

  it("counts a hint taken twice once, never goes below zero, and scores only the first answer", () => {
    const cheap = [
      q({
        id: "command",
        points: 4,
        hints: [
          { text: "h1", cost: 3 },
          { text: "h2", cost: 5 },
        ],
      }),
    ];
    const path = [
      act("hint", 1, { questionId: "command", hintIndex: 0, cost: 3 }),
      act("hint", 2, { questionId: "command", hintIndex: 0, cost: 3 }),
      act("hint", 3, { questionId: "command", hintIndex: 1, cost: 5 }),
      act("answer", 4, { questionId: "command", answer: "C:\\Windows\\System32\\notepad.exe" }),
      act("answer", 5, { questionId: "command", answer: "wrong" }),
    ];
    const s = scorePath(cheap, "true_positive", path);
    expect(s.questions[0]).toMatchObject({ hintCost: 8, hintsTaken: 2, correct: true, points: 0 });
    expect(s.verdict).toMatchObject({ given: undefined, correct: false, points: 0 });
  });

  it("a wrong answer scores nothing", () => {
    const s = scorePath([questions[0]], "benign_positive", [
      act("answer", 1, { questionId: "command", answer: "calc.exe" }),
      act("verdict", 2, { verdict: "true_positive" }, "verdict"),
    ]);
    expect(s.score).toBe(0);
  });
});

describe("time per step", () => {
  it("runs from opening a step to its answer", () => {
    const steps = timePerStep([
      act("open-step", 0, {}, "investigation.sysmon-21-fields"),
      act("answer", 40, { questionId: "type" }, "investigation.sysmon-21-fields"),
      act("open-step", 45),
      act("open-step", 50),
      act("answer", 105, { questionId: "command" }),
      act("verdict", 120, { verdict: "true_positive" }, "verdict"),
    ]);
    expect(steps).toContainEqual({ stepId: "investigation.sysmon-21-fields", ms: 40_000 });
    expect(steps).toContainEqual({ stepId: "investigation.consumer-command", ms: 60_000 });
    expect(steps.find((s) => s.stepId === "verdict")?.ms).toBe(120_000);
  });
});
