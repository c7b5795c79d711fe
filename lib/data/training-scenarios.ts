import "server-only";
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import { listGuideTips } from "@/lib/data/guide-tips";
import { datasetsRoot, readPackEvents } from "@/lib/data/training-packs";
import { requireId, toJson } from "@/lib/data/training-rows";
import { getDb } from "@/lib/db/client";
import type { EcsDocument } from "@/lib/ecs/document";
import { formatTime } from "@/lib/format/time";
import { readEventStream } from "@/lib/ingest/read-file";
import { SHIPPED_PACKS, sourceNoteOf } from "@/lib/training/packs";
import {
  GUIDE_STEP_IDS,
  TRAINING_VERDICTS,
  parseStoredQuestions,
  scenarioFieldsSchema,
  type ScenarioFields,
} from "@/lib/training/scenario";
import { buildWalkthrough, findMatches } from "@/lib/training/walkthrough";

/** Trainers' scenarios: created from a pack or an upload, edited (the key), shown on a shared screen. */

/** An uploaded scenario stays a scenario, not a data lake. */
const MAX_SCENARIO_EVENTS = 5000;

export async function listScenarios(actor: Actor) {
  assertCan(actor, "training:manage");
  const { prisma } = getDb();
  const rows = await prisma.trainingScenario.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      title: true,
      packId: true,
      expectedVerdict: true,
      questions: true,
      sourceNote: true,
      createdAt: true,
      _count: { select: { assignments: true } },
    },
  });
  const counts = await prisma.$queryRaw<
    { id: string; n: number }[]
  >`select id::text as id, jsonb_array_length(events)::int as n from training_scenario`;
  const eventCount = new Map(counts.map((c) => [c.id, c.n]));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    packId: r.packId,
    expectedVerdict: r.expectedVerdict,
    questionCount: Array.isArray(r.questions) ? r.questions.length : 0,
    eventCount: eventCount.get(r.id) ?? 0,
    assignmentCount: r._count.assignments,
    sourceNote: r.sourceNote,
    createdAt: r.createdAt,
  }));
}

export async function getScenarioForEdit(actor: Actor, scenarioId: string) {
  assertCan(actor, "training:manage");
  const row = await getDb().prisma.trainingScenario.findUnique({
    where: { id: requireId(scenarioId, "scenario") },
    select: {
      id: true,
      title: true,
      description: true,
      sourceNote: true,
      packId: true,
      expectedVerdict: true,
      questions: true,
      events: true,
      updatedAt: true,
    },
  });
  if (!row) throw new AppError("not_found", "scenario not found");
  const events = (row.events as EcsDocument[]) ?? [];
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    sourceNote: row.sourceNote,
    packId: row.packId,
    expectedVerdict: row.expectedVerdict,
    questions: parseStoredQuestions(row.questions),
    eventCount: events.length,
    matchCount: findMatches(events).length,
    updatedAt: row.updatedAt,
  };
}

async function createScenario(
  actor: Actor,
  fields: ScenarioFields,
  events: EcsDocument[],
  action: string,
  extra: Record<string, unknown>,
) {
  const { prisma } = getDb();
  return prisma.$transaction(async (tx) => {
    const row = await tx.trainingScenario.create({
      data: {
        title: fields.title,
        description: fields.description,
        sourceNote: fields.sourceNote,
        events: toJson(events),
        expectedVerdict: fields.expectedVerdict,
        questions: toJson(fields.questions),
        createdBy: actor.id,
      },
      select: { id: true, title: true },
    });
    await appendAudit(tx, {
      actorId: actor.id,
      action,
      entityType: "training",
      entityId: row.id,
      after: { title: fields.title, events: events.length, ...extra },
    });
    return row;
  });
}

export const createFromPackSchema = z.object({
  packId: z.string().min(1).max(100),
  title: z.string().trim().max(200).optional(),
});

/**
 * A new scenario from a shipped pack: the installed pack's events and key are copied (the
 * trainer edits their copy), or read from the dataset when the pack is not installed.
 */
export async function createScenarioFromPack(actor: Actor, input: z.input<typeof createFromPackSchema>) {
  assertCan(actor, "training:manage");
  const { packId, title } = createFromPackSchema.parse(input);
  const pack = SHIPPED_PACKS.find((p) => p.packId === packId);
  if (!pack) throw new AppError("bad_request", `unknown pack ${packId}`);
  const installed = await getDb().prisma.trainingScenario.findUnique({
    where: { packId },
    select: { events: true, questions: true, expectedVerdict: true },
  });
  let events: EcsDocument[];
  if (installed) {
    events = installed.events as EcsDocument[];
  } else {
    const file = path.join(datasetsRoot(), pack.source.file);
    if (!existsSync(file)) throw new AppError("unavailable", `the dataset file of pack ${packId} is missing (${file})`);
    events = await readPackEvents(pack);
  }
  const fields = scenarioFieldsSchema.parse({
    title: title || pack.title,
    description: pack.description,
    sourceNote: sourceNoteOf(pack),
    expectedVerdict: installed?.expectedVerdict ?? pack.expectedVerdict,
    questions: installed ? installed.questions : pack.questions,
  });
  return createScenario(actor, fields, events, "training.scenario.create", { fromPack: packId });
}

export const uploadScenarioSchema = z.object({
  title: z.string().trim().min(1, "a title is required").max(200),
  description: z.string().trim().max(5000).default(""),
  sourceNote: z.string().trim().max(2000).default(""),
  expectedVerdict: z.enum(TRAINING_VERDICTS),
});

/**
 * A new scenario from an uploaded event file (EVTX, Windows XML, NXLog, ECS…), parsed on the
 * server into ECS documents that live in the scenario row only. Questions are added afterwards.
 */
export async function createScenarioFromUpload(
  actor: Actor,
  input: z.input<typeof uploadScenarioSchema>,
  file: { name: string; stream: AsyncIterable<Uint8Array> },
) {
  assertCan(actor, "training:manage");
  const meta = uploadScenarioSchema.parse(input);
  const events: EcsDocument[] = [];
  let rejected = 0;
  try {
    for await (const record of readEventStream(file.stream, { fileName: file.name })) {
      if (!record.ok) {
        rejected++;
        continue;
      }
      events.push(record.document);
      if (events.length > MAX_SCENARIO_EVENTS)
        throw new AppError(
          "payload_too_large",
          `a scenario holds at most ${MAX_SCENARIO_EVENTS} events; cut the file down`,
        );
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("bad_request", `cannot read ${file.name}: ${(error as Error).message}`);
  }
  if (events.length === 0)
    throw new AppError(
      "bad_request",
      `${file.name} holds no readable events${rejected ? ` (${rejected} rejected)` : ""}`,
    );
  const fields = scenarioFieldsSchema.parse({
    ...meta,
    sourceNote: meta.sourceNote || `uploaded file ${file.name}`,
    questions: [],
  });
  const created = await createScenario(actor, fields, events, "training.scenario.upload", {
    fileName: file.name,
    rejected,
  });
  return { ...created, events: events.length, rejected, matches: findMatches(events).length };
}

export const updateScenarioSchema = scenarioFieldsSchema.extend({ expectedUpdatedAt: z.coerce.date() });

/** Saves the trainer's key. Optimistic: the form sends the `updatedAt` it was rendered with. */
export async function updateScenario(actor: Actor, scenarioId: string, input: z.input<typeof updateScenarioSchema>) {
  assertCan(actor, "training:manage");
  const id = requireId(scenarioId, "scenario");
  const fields = updateScenarioSchema.parse(input);
  return getDb().prisma.$transaction(async (tx) => {
    const before = await tx.trainingScenario.findUnique({
      where: { id },
      select: { title: true, expectedVerdict: true, questions: true, updatedAt: true },
    });
    if (!before) throw new AppError("not_found", "scenario not found");
    const changed = await tx.trainingScenario.updateMany({
      where: { id, updatedAt: fields.expectedUpdatedAt },
      data: {
        title: fields.title,
        description: fields.description,
        sourceNote: fields.sourceNote,
        expectedVerdict: fields.expectedVerdict,
        questions: toJson(fields.questions),
        updatedAt: new Date(),
      },
    });
    if (changed.count !== 1) {
      throw new AppError(
        "conflict",
        `this scenario was changed by someone else at ${formatTime(before.updatedAt)}; reload`,
      );
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: "training.scenario.update",
      entityType: "training",
      entityId: id,
      before,
      after: { title: fields.title, expectedVerdict: fields.expectedVerdict, questions: fields.questions },
    });
    return { id };
  });
}

/** One alert for a shared screen: the workflow, with the trainer's key (presenter is a trainer). */
export async function getPresenterScenario(actor: Actor, scenarioId: string) {
  assertCan(actor, "training:manage");
  const row = await getDb().prisma.trainingScenario.findUnique({
    where: { id: requireId(scenarioId, "scenario") },
    select: { id: true, title: true, description: true, events: true, questions: true, expectedVerdict: true },
  });
  if (!row) throw new AppError("not_found", "scenario not found");
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    expectedVerdict: row.expectedVerdict,
    walkthrough: buildWalkthrough(row.events as EcsDocument[]),
    questions: parseStoredQuestions(row.questions),
    tips: await listGuideTips(GUIDE_STEP_IDS as string[], { forAnalysts: false }),
  };
}
