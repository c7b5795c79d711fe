"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withPermission, type Failure } from "@/lib/actions/with-permission";
import {
  cancelHuntRun,
  deleteSavedHunt,
  huntInputSchema,
  pinHuntHit,
  pinSchema,
  saveHunt,
  savedHuntSchema,
} from "@/lib/data/hunts";
import { startHunt } from "@/lib/services/hunt-queue";

// A query that does not parse comes back as a Failure whose `error.details` is its QueryProblem.

export const startHuntAction = withPermission(
  "hunt:run",
  z.tuple([huntInputSchema]),
  async (actor, input): Promise<{ ok: true; id: string } | Failure> => {
    const { id } = await startHunt(actor, input);
    return { ok: true, id };
  },
);

export const cancelHuntAction = withPermission(
  "hunt:run",
  z.tuple([z.string()]),
  async (actor, runId): Promise<{ ok: true } | Failure> => {
    await cancelHuntRun(actor, runId);
    revalidatePath("/hunt");
    return { ok: true };
  },
);

export const saveHuntAction = withPermission(
  "hunt:run",
  z.tuple([savedHuntSchema]),
  async (actor, input): Promise<{ ok: true } | Failure> => {
    await saveHunt(actor, input);
    revalidatePath("/hunt");
    return { ok: true };
  },
);

export const deleteSavedHuntAction = withPermission(
  "hunt:run",
  z.tuple([z.string()]),
  async (actor, id): Promise<{ ok: true } | Failure> => {
    await deleteSavedHunt(actor, id);
    revalidatePath("/hunt");
    return { ok: true };
  },
);

// "#12" or "case 12" is a case number; anything else an alert id
const pinHitInput = z
  .object({ eventId: z.string(), target: z.string().trim(), query: z.string(), note: z.string() })
  .transform(({ target, ...rest }): z.input<typeof pinSchema> => {
    const caseMatch = /^(?:case\s*)?#\s*(\d+)$/i.exec(target);
    return { ...rest, ...(caseMatch ? { caseNumber: Number(caseMatch[1]) } : { alertId: target }) };
  })
  .pipe(pinSchema);

export const pinHuntHitAction = withPermission(
  "hunt:run",
  z.tuple([pinHitInput]),
  async (actor, input): Promise<{ ok: true; target: string } | Failure> => {
    const pinned = await pinHuntHit(actor, input);
    revalidatePath("/hunt");
    return { ok: true, target: pinned.target };
  },
);
