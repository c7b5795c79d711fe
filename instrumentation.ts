// Next.js start-up hook: starts the detection scheduler in the server process (Node runtime only).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.WMI_SCHEDULER_DISABLED === "1") return;
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
