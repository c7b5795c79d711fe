// Next.js start-up hook: starts the detection scheduler in the server process (Node runtime only).
export async function register() {
  // Next replaces NEXT_RUNTIME per bundle at build time, which keeps the worker out of the edge bundle
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // ingests a crashed process left 'running' are marked failed at start-up (the worker sweeps later ones)
  const { sweepStaleIngestJobs } = await import("@/lib/services/ingest-sweep");
  await sweepStaleIngestJobs().catch((error) =>
    console.error("[wmi-triage] the stale-ingest sweep failed:", error instanceof Error ? error.message : error),
  );
  // webhooks go out as soon as the change that queued them commits (the worker's sweep is the fallback)
  const { startPromptWebhookDelivery } = await import("@/lib/services/webhook-service");
  startPromptWebhookDelivery();
  const { getEnv } = await import("@/lib/env");
  if (getEnv().WMI_SCHEDULER_DISABLED === "1") return;
  const { startWorker } = await import("@/lib/services/worker");
  try {
    await startWorker();
    console.log("[wmi-triage] detection scheduler started");
  } catch (error) {
    console.error(
      "[wmi-triage] the detection scheduler could not start:",
      error instanceof Error ? error.message : error,
    );
  }
}
