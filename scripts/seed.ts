// npm run db:seed — idempotent demo content: one user per role (demo only).
import { closeDb } from "@/lib/db/client";
import { seedDemoContent } from "@/lib/services/seed-service";

try {
  const summary = await seedDemoContent();
  for (const line of summary) console.log(`[wmi-triage] seed: ${line}`);
} catch (error) {
  console.error(`[wmi-triage] seed failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
