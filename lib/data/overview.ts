import "server-only";
import { getDb } from "@/lib/db/client";

export interface Overview {
  events: number;
  alertsByStatus: Record<string, number>;
  recentJobs: { id: string; fileName: string; status: string; stored: number; alerts: number; startedAt: Date }[];
}

export async function getOverview(): Promise<Overview> {
  const { prisma } = getDb();
  const events = await prisma.event.count();
  const grouped = await prisma.alert.groupBy({ by: ["status"], _count: { _all: true } });
  const recentJobs = await prisma.ingestJob.findMany({
    orderBy: { startedAt: "desc" },
    take: 5,
    select: { id: true, fileName: true, status: true, stored: true, alerts: true, startedAt: true },
  });
  return {
    events,
    alertsByStatus: Object.fromEntries(grouped.map((g) => [g.status, g._count._all])),
    recentJobs,
  };
}
