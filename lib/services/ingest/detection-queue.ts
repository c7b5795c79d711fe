import "server-only";
import { getEnv } from "@/lib/env";
import { runIngestDetection } from "@/lib/services/ingest-sweep";
import { enqueueIngestDetection } from "@/lib/services/worker";

/**
 * Hands an upload's rule run (its job already says `pending`) to the worker (graphile-worker's
 * `wmi_ingest_detection` task), so the upload's request returns without running it. Where no
 * worker runs in this process (WMI_SCHEDULER_DISABLED=1: the e2e server, API-only instances) the
 * run starts in the background of this process instead, as hunts do. Either way the job's state
 * is in the database, and the sweep runs again a run whose process stopped.
 */
export async function startIngestDetection(jobId: string): Promise<void> {
  const background = () =>
    void runIngestDetection(jobId).catch((e) => console.error(`[ingest ${jobId}] rule run failed:`, e));
  if (getEnv().WMI_SCHEDULER_DISABLED === "1") {
    background();
    return;
  }
  try {
    await enqueueIngestDetection(jobId);
  } catch (error) {
    console.error(`[ingest ${jobId}] rule run could not be queued, running it here:`, error);
    background();
  }
}
