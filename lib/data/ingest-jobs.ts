import "server-only";
import { getDb } from "@/lib/db/client";

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
} as const;

export type IngestJobView = Awaited<ReturnType<typeof listIngestJobs>>[number];

export async function listIngestJobs(limit = 100) {
  const jobs = await getDb().prisma.ingestJob.findMany({
    orderBy: { startedAt: "desc" },
    take: limit,
    select: jobSelect,
  });
  return jobs.map((j) => ({
    ...j,
    bytes: Number(j.bytes),
    durationMs: j.finishedAt ? j.finishedAt.getTime() - j.startedAt.getTime() : null,
  }));
}

export async function getIngestJob(id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const job = await getDb().prisma.ingestJob.findUnique({ where: { id }, select: jobSelect });
  if (!job) return null;
  return {
    ...job,
    bytes: Number(job.bytes),
    durationMs: job.finishedAt ? job.finishedAt.getTime() - job.startedAt.getTime() : null,
    errors: (job.errors ?? []) as { index: number; line?: number; offset?: number; reason: string }[],
  };
}
