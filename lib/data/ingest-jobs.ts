import "server-only";
import { getDb } from "@/lib/db/client";
import { getUserNames } from "@/lib/data/users";

const jobSelect = {
  id: true,
  source: true,
  fileName: true,
  format: true,
  status: true,
  createdBy: true,
  bytes: true,
  received: true,
  stored: true,
  duplicates: true,
  rejected: true,
  alerts: true,
  errors: true,
  message: true,
  startedAt: true,
  finishedAt: true,
  detection: true,
  detectionFinishedAt: true,
  detectionMessage: true,
} as const;

/** Who sent the file: a user's name, `API token "<name>"`, or null (CLI, demo, polling: no one signed in). */
function uploaderName(createdBy: string | null, names: Map<string, string>): string | null {
  if (!createdBy) return null;
  return names.get(createdBy) ?? createdBy;
}

export type IngestJobView = Awaited<ReturnType<typeof listIngestJobs>>[number];

export async function listIngestJobs(limit = 100) {
  const jobs = await getDb().prisma.ingestJob.findMany({
    orderBy: { startedAt: "desc" },
    take: limit,
    select: jobSelect,
  });
  const names = await getUserNames(jobs.map((j) => j.createdBy));
  return jobs.map((j) => ({
    ...j,
    uploadedBy: uploaderName(j.createdBy, names),
    bytes: Number(j.bytes),
    durationMs: j.finishedAt ? j.finishedAt.getTime() - j.startedAt.getTime() : null,
  }));
}

export async function getIngestJob(id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const job = await getDb().prisma.ingestJob.findUnique({ where: { id }, select: jobSelect });
  if (!job) return null;
  const names = await getUserNames([job.createdBy]);
  return {
    ...job,
    uploadedBy: uploaderName(job.createdBy, names),
    bytes: Number(job.bytes),
    durationMs: job.finishedAt ? job.finishedAt.getTime() - job.startedAt.getTime() : null,
    errors: (job.errors ?? []) as { index: number; line?: number; offset?: number; reason: string }[],
  };
}
