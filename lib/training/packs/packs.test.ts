import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readEventFile } from "@/lib/ingest/read-file";
import { questionsSchema, TRAINING_VERDICTS } from "../scenario";
import { buildWalkthrough } from "../walkthrough";
import { SHIPPED_PACKS, sourceNoteOf, type TrainingPack } from "./index";
import type { EcsDocument } from "@/lib/ecs/document";

const root = path.resolve(process.cwd(), "../shared/datasets");

async function eventsOf(pack: TrainingPack): Promise<EcsDocument[]> {
  const docs: EcsDocument[] = [];
  for await (const r of readEventFile(path.join(root, pack.source.file))) if (r.ok) docs.push(r.document);
  return pack.prepare ? pack.prepare(docs) : docs;
}

describe("shipped pack definitions", () => {
  it.each(SHIPPED_PACKS.map((p) => [p.packId, p] as const))(
    "%s validates and names its source and licence",
    (_id, pack) => {
      expect(questionsSchema.safeParse(pack.questions).success).toBe(true);
      expect(TRAINING_VERDICTS).toContain(pack.expectedVerdict);
      expect(pack.questions.length).toBeGreaterThan(0);
      expect(sourceNoteOf(pack)).toContain(pack.source.file);
      expect(sourceNoteOf(pack)).toContain(pack.source.licence);
    },
  );

  it("pack ids are unique", () => {
    expect(new Set(SHIPPED_PACKS.map((p) => p.packId)).size).toBe(SHIPPED_PACKS.length);
  });
});

describe.skipIf(!existsSync(root))("shipped packs over the real datasets", () => {
  const byId = (id: string) => SHIPPED_PACKS.find((p) => p.packId === id)!;

  it("Atomic Red Team: one alert on MSEDGEWIN10, a CommandLineEventConsumer running notepad", async () => {
    const w = buildWalkthrough(await eventsOf(byId("atomic-commandline-consumer")));
    expect(w.matchCount).toBe(1);
    expect(w.focus?.host).toContain("MSEDGEWIN10");
    expect(w.subscription?.consumer).toMatchObject({
      name: "AtomicRedTeam-WMIPersistence-Example",
      className: "CommandLineEventConsumer",
    });
    expect(w.subscription?.consumer?.destination).toMatch(/notepad\.exe$/i);
    expect(w.falsePositives.every((f) => f.check?.status !== "pass")).toBe(true);
  });

  it("WMIGhost: no alert, kept out by Operation Modified", async () => {
    const w = buildWalkthrough(await eventsOf(byId("wmighost-activescript-modified")));
    expect(w.matchCount).toBe(0);
    expect(w.failing.map((t) => t.text).join(" ")).toContain("Operation");
    expect(w.subscription?.consumer?.className).toBe("ActiveScriptEventConsumer");
  });

  it("BotConsumer23: no alert, the consumer path lacks the subscription namespace", async () => {
    const w = buildWalkthrough(await eventsOf(byId("botconsumer23-relative-path")));
    expect(w.matchCount).toBe(0);
    expect(w.failing.map((t) => t.text).join(" ")).toContain("Consumer");
  });

  it("BVTConsumer (derived): one alert, and the admin-tools FP check passes", async () => {
    const w = buildWalkthrough(await eventsOf(byId("bvt-builtin-consumer")));
    expect(w.matchCount).toBe(1);
    expect(w.subscription?.consumer?.name).toBe("BVTConsumer");
    expect(w.subscription?.consumer?.destination).toBe("cscript KernCap.vbs");
    expect(w.falsePositives.find((f) => f.step.id === "fp.admin-tools")?.check?.status).toBe("pass");
  });
});
