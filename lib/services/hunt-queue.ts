import "server-only";
import type { Actor } from "@/lib/auth/permissions";
import { createHuntRun, type HuntInput } from "@/lib/data/hunts";
import { getEnv } from "@/lib/env";
import { executeHuntRun } from "@/lib/services/hunt-service";
import { enqueueHunt } from "@/lib/services/worker";

/**
 * Records a hunt and hands it to the worker (graphile-worker's `wmi_hunt` task). Where no worker
 * runs in this process (WMI_SCHEDULER_DISABLED=1: the e2e server, API-only instances — whose job
 * schema may not exist) the run starts in the background of this process instead; either way
 * the request returns at once and the page follows the run's progress.
 */
export async function startHunt(actor: Actor, input: HuntInput): Promise<{ id: string }> {
  const run = await createHuntRun(actor, input);
  const background = () => void executeHuntRun(run.id).catch((e) => console.error(`[hunt ${run.id}]`, e));
  if (getEnv().WMI_SCHEDULER_DISABLED === "1") {
    background();
    return run;
  }
  try {
    await enqueueHunt(run.id);
  } catch (error) {
    console.error(`[hunt ${run.id}] could not be queued, running it here:`, error);
    background();
  }
  return run;
}
