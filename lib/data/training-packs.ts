import "server-only";
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import { toJson } from "@/lib/data/training-rows";
import { getDb } from "@/lib/db/client";
import type { EcsDocument } from "@/lib/ecs/document";
import { getEnv } from "@/lib/env";
import { readEventFile } from "@/lib/ingest/read-file";
import { SHIPPED_PACKS, sourceNoteOf, type TrainingPack } from "@/lib/training/packs";
import { questionSchema } from "@/lib/training/scenario";

/** The shipped training packs: scenarios built from the datasets' recordings. */

export function datasetsRoot(): string {
  return path.resolve(getEnv().WMI_DATASETS_DIR);
}

export type PackInstallStatus = {
  packId: string;
  title: string;
  status: "installed" | "already-installed" | "missing" | "failed";
  message: string;
  scenarioId?: string;
};

export async function readPackEvents(pack: TrainingPack): Promise<EcsDocument[]> {
  const file = path.join(datasetsRoot(), pack.source.file);
  const docs: EcsDocument[] = [];
  for await (const record of readEventFile(file)) if (record.ok) docs.push(record.document);
  return pack.prepare ? pack.prepare(docs) : docs;
}

/**
 * Installs the shipped packs that are not installed yet (by `packId`); a trainer's edits to an
 * installed pack are kept. A pack whose dataset file is missing is skipped and said so. Called
 * from the training page and by the seed (`actor` null: the system).
 */
export async function installShippedPacks(actor: Actor | null = null): Promise<PackInstallStatus[]> {
  if (actor) assertCan(actor, "training:manage");
  const { prisma } = getDb();
  const results: PackInstallStatus[] = [];
  for (const pack of SHIPPED_PACKS) {
    const existing = await prisma.trainingScenario.findUnique({ where: { packId: pack.packId }, select: { id: true } });
    if (existing) {
      results.push({
        packId: pack.packId,
        title: pack.title,
        status: "already-installed",
        message: "already installed",
        scenarioId: existing.id,
      });
      continue;
    }
    const file = path.join(datasetsRoot(), pack.source.file);
    if (!existsSync(file)) {
      results.push({
        packId: pack.packId,
        title: pack.title,
        status: "missing",
        message: `skipped: dataset file not found at ${file}`,
      });
      continue;
    }
    try {
      const events = await readPackEvents(pack);
      const questions = z.array(questionSchema).parse(pack.questions);
      const created = await prisma.$transaction(async (tx) => {
        const row = await tx.trainingScenario.create({
          data: {
            title: pack.title,
            description: pack.description,
            sourceNote: sourceNoteOf(pack),
            packId: pack.packId,
            events: toJson(events),
            expectedVerdict: pack.expectedVerdict,
            questions: toJson(questions),
            createdBy: actor?.id ?? null,
          },
          select: { id: true },
        });
        await appendAudit(tx, {
          actorId: actor?.id ?? null,
          action: "training.pack.install",
          entityType: "training",
          entityId: row.id,
          after: { packId: pack.packId, events: events.length },
        });
        return row;
      });
      results.push({
        packId: pack.packId,
        title: pack.title,
        status: "installed",
        message: `installed (${events.length} events)`,
        scenarioId: created.id,
      });
    } catch (error) {
      // a concurrent install of the same pack lost the race on the unique packId: that is "installed"
      if ((error as { code?: string }).code === "P2002") {
        results.push({
          packId: pack.packId,
          title: pack.title,
          status: "already-installed",
          message: "already installed",
        });
      } else {
        results.push({
          packId: pack.packId,
          title: pack.title,
          status: "failed",
          message: `failed: ${(error as Error).message}`,
        });
      }
    }
  }
  return results;
}

export function listShippedPacks() {
  return SHIPPED_PACKS.map((p) => ({
    packId: p.packId,
    title: p.title,
    sourceNote: sourceNoteOf(p),
    available: existsSync(path.join(datasetsRoot(), p.source.file)),
  }));
}
