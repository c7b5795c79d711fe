import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { addGuideTip, listGuideTips } from "@/lib/data/guide-tips";
import {
  assignScenario,
  getAssignmentReplay,
  listAssignmentProgress,
  listMyAssignments,
} from "@/lib/data/training-assignments";
import { installShippedPacks } from "@/lib/data/training-packs";
import { createScenarioFromPack, createScenarioFromUpload, updateScenario } from "@/lib/data/training-scenarios";
import {
  answerTrainingQuestion,
  getTraineeWorkspace,
  recordOpenStep,
  submitTrainingVerdict,
  takeTrainingHint,
} from "@/lib/data/training-trainee";
import { findMatches } from "@/lib/training/walkthrough";
import type { EcsDocument } from "@/lib/ecs/document";

const tag = `training-${process.pid}-${Date.now()}`;
const trainer = { id: `trainer-${tag}`, name: "Test Trainer", role: "trainer" };
const junior = { id: `junior-${tag}`, name: "Test Junior", role: "analyst" };
const other = { id: `other-${tag}`, name: "Other Analyst", role: "analyst" };

async function liveCounts() {
  const { prisma } = getDb();
  return { events: await prisma.event.count(), alerts: await prisma.alert.count() };
}

let before: { events: number; alerts: number };

beforeAll(async () => {
  const { prisma } = getDb();
  for (const u of [trainer, junior, other])
    await prisma.user.create({ data: { id: u.id, name: u.name, email: `${u.id}@test.local`, role: u.role } });
  before = await liveCounts();
});

afterAll(async () => {
  await closeDb();
});

describe("shipped packs", () => {
  it("install idempotently, by packId", async () => {
    const first = await installShippedPacks(trainer);
    expect(first.map((r) => r.status).every((s) => s === "installed" || s === "already-installed")).toBe(true);
    const second = await installShippedPacks(null);
    expect(second.map((r) => r.status)).toEqual(second.map(() => "already-installed"));
    const { prisma } = getDb();
    for (const r of second) expect(await prisma.trainingScenario.count({ where: { packId: r.packId } })).toBe(1);
  });

  it("refuses a user who may not manage training", async () => {
    await expect(installShippedPacks(junior)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("the Atomic pack's scenario has exactly one matching event, BotConsumer23's none", async () => {
    const { prisma } = getDb();
    const atomic = await prisma.trainingScenario.findUniqueOrThrow({
      where: { packId: "atomic-commandline-consumer" },
      select: { events: true, sourceNote: true },
    });
    const bot = await prisma.trainingScenario.findUniqueOrThrow({
      where: { packId: "botconsumer23-relative-path" },
      select: { events: true },
    });
    expect(findMatches(atomic.events as EcsDocument[])).toHaveLength(1);
    expect(findMatches(bot.events as EcsDocument[])).toHaveLength(0);
    expect(atomic.sourceNote).toContain("GPL-3.0");
    expect(atomic.sourceNote).toContain("PanacheSysmon_vs_AtomicRedTeam01");
  });
});

describe("a junior works through an assigned scenario", () => {
  let scenarioId: string;
  let assignmentId: string;

  it("a trainer creates a scenario from a pack and assigns it", async () => {
    const created = await createScenarioFromPack(trainer, {
      packId: "atomic-commandline-consumer",
      title: `Atomic ${tag}`,
    });
    scenarioId = created.id;
    const { assignmentIds } = await assignScenario(trainer, { scenarioId, traineeIds: [junior.id] });
    assignmentId = assignmentIds[0];
    const mine = await listMyAssignments(junior);
    expect(mine.find((a) => a.id === assignmentId)).toMatchObject({
      title: `Atomic ${tag}`,
      status: "assigned",
      assignedByName: "Test Trainer",
    });
    const notes = await getDb().prisma.notification.findMany({ where: { userId: junior.id } });
    expect(notes.map((n) => n.link)).toContain(`/training/${assignmentId}`);
  });

  it("shows the same workflow as the live alert page, without the answers", async () => {
    const w = await getTraineeWorkspace(junior, assignmentId);
    expect(w.walkthrough.matched).toBe(true);
    expect(w.walkthrough.subscription?.consumer?.name).toBe("AtomicRedTeam-WMIPersistence-Example");
    expect(w.walkthrough.investigation).toHaveLength(5);
    expect(w.walkthrough.falsePositives).toHaveLength(5);
    expect(JSON.stringify(w.questions)).not.toContain("notepad");
    expect(w).not.toHaveProperty("expectedVerdict");
    await expect(getTraineeWorkspace(other, assignmentId)).rejects.toMatchObject({ code: "not_found" });
  });

  it("records steps, hints and answers, and scores them", async () => {
    await recordOpenStep(junior, assignmentId, "investigation.sysmon-21-fields");
    const right = await answerTrainingQuestion(junior, assignmentId, {
      questionId: "consumer-type",
      answer: "CommandLineEventConsumer",
    });
    expect(right).toMatchObject({ correct: true, points: 10, expected: undefined });
    await expect(
      answerTrainingQuestion(junior, assignmentId, { questionId: "consumer-type", answer: "CommandLineEventConsumer" }),
    ).rejects.toMatchObject({ code: "conflict" });

    const wrong = await answerTrainingQuestion(junior, assignmentId, { questionId: "consumer-name", answer: "evil" });
    expect(wrong).toMatchObject({ correct: false, points: 0, expected: "AtomicRedTeam-WMIPersistence-Example" });

    await recordOpenStep(junior, assignmentId, "investigation.consumer-command");
    const hint = await takeTrainingHint(junior, assignmentId, { questionId: "command", hintIndex: 0 });
    expect(hint.cost).toBe(3);
    await takeTrainingHint(junior, assignmentId, { questionId: "command", hintIndex: 0 }); // the same hint again is free
    const cmd = await answerTrainingQuestion(junior, assignmentId, { questionId: "command", answer: "  NOTEPAD.EXE " });
    expect(cmd).toMatchObject({ correct: true, points: 7 });
    await answerTrainingQuestion(junior, assignmentId, { questionId: "fp-item", answer: "none" });

    const summary = await submitTrainingVerdict(junior, assignmentId, { verdict: "true_positive" });
    // 10 + 0 + (10 − 3) + 10 + 0 (unanswered) + verdict 10
    expect(summary.score).toBe(37);
    expect(summary.maxScore).toBe(55);
    await expect(
      answerTrainingQuestion(junior, assignmentId, {
        questionId: "first-response",
        answer: "the filter and the binding",
      }),
    ).rejects.toMatchObject({ code: "conflict" });

    const row = await getDb().prisma.trainingAssignment.findUniqueOrThrow({ where: { id: assignmentId } });
    expect(row).toMatchObject({ status: "completed", score: 37, maxScore: 55 });
    const kinds = (
      await getDb().prisma.trainingAction.findMany({
        where: { assignmentId },
        orderBy: { id: "asc" },
        select: { kind: true },
      })
    ).map((a) => a.kind);
    expect(kinds).toEqual([
      "open-step",
      "answer",
      "answer",
      "open-step",
      "hint",
      "answer",
      "answer",
      "verdict",
      "complete",
    ]);
    const audit = await getDb().prisma.auditLog.findMany({
      where: { entityType: "training", entityId: assignmentId },
      select: { action: true },
    });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["training.assign", "training.answer", "training.hint", "training.complete"]),
    );
  });

  it("the trainer sees the score, time per step and the replay", async () => {
    const progress = (await listAssignmentProgress(trainer)).find((a) => a.id === assignmentId)!;
    expect(progress).toMatchObject({ status: "completed", score: 37, hintsTaken: 1 });
    expect(progress.steps.map((s) => s.stepId)).toContain("investigation.consumer-command");
    const replay = await getAssignmentReplay(trainer, assignmentId);
    expect(replay.frames).toHaveLength(9);
    expect(replay.frames[2]).toMatchObject({
      given: "evil",
      expected: "AtomicRedTeam-WMIPersistence-Example",
      correct: false,
    });
    expect(replay.frames[4].hint?.text).toMatch(/Sysmon 20/);
    expect(replay.frames.at(-1)?.summary).toBe("Completed: 37 / 55");
    await expect(getAssignmentReplay(junior, assignmentId)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("edits are version-checked", async () => {
    const row = await getDb().prisma.trainingScenario.findUniqueOrThrow({
      where: { id: scenarioId },
      select: { updatedAt: true, questions: true },
    });
    const fields = {
      title: `Atomic ${tag} v2`,
      description: "",
      sourceNote: "x",
      expectedVerdict: "true_positive" as const,
      questions: row.questions as never,
    };
    await updateScenario(trainer, scenarioId, { ...fields, expectedUpdatedAt: row.updatedAt });
    await expect(
      updateScenario(trainer, scenarioId, { ...fields, expectedUpdatedAt: row.updatedAt }),
    ).rejects.toMatchObject({ code: "conflict" });
  });
});

describe("uploads and tips", () => {
  it("builds a scenario from an uploaded file without touching the live tables", async () => {
    const doc = {
      "@timestamp": "2024-05-01T10:00:00.000Z",
      event: { code: "21", dataset: "windows.sysmon_operational" },
      host: { name: `HOST-${tag}` },
      user: { name: "bob" },
      winlog: {
        computer_name: `HOST-${tag}`,
        event_data: {
          Operation: "Created",
          Consumer: ' "\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"upl\\""',
          Filter: ' "\\\\.\\ROOT\\subscription:__EventFilter.Name=\\"upl\\""',
        },
      },
    };
    const created = await createScenarioFromUpload(
      trainer,
      { title: `Upload ${tag}`, expectedVerdict: "true_positive" },
      { name: "one.ndjson", stream: Readable.from([Buffer.from(JSON.stringify(doc) + "\n")]) },
    );
    expect(created).toMatchObject({ events: 1, rejected: 0, matches: 1 });
    await expect(
      createScenarioFromUpload(
        trainer,
        { title: "bad", expectedVerdict: "true_positive" },
        { name: "x.bin", stream: Readable.from([Buffer.from([0, 1, 2, 3, 0, 0, 0])]) },
      ),
    ).rejects.toMatchObject({ code: "bad_request" });
  });

  it("tips are listed for analysts only when visible to all", async () => {
    await addGuideTip(trainer, {
      stepId: "investigation.consumer-command",
      text: `private ${tag}`,
      visibleToAll: false,
    });
    await addGuideTip(trainer, { stepId: "investigation.consumer-command", text: `public ${tag}`, visibleToAll: true });
    const forAnalysts = (await listGuideTips(["investigation.consumer-command"], { forAnalysts: true })).map(
      (t) => t.text,
    );
    const all = (await listGuideTips(["investigation.consumer-command"], { forAnalysts: false })).map((t) => t.text);
    expect(forAnalysts).toContain(`public ${tag}`);
    expect(forAnalysts).not.toContain(`private ${tag}`);
    expect(all).toEqual(expect.arrayContaining([`public ${tag}`, `private ${tag}`]));
    await expect(addGuideTip(junior, { stepId: "overview", text: "x" })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("nothing was written to the live event and alert tables", async () => {
    expect(await liveCounts()).toEqual(before);
  });
});
