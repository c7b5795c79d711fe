import "server-only";
import { getDb } from "@/lib/db/client";
import { DEMO_ACCOUNTS } from "@/lib/demo-accounts";

/** Idempotent: running it twice changes nothing the second time. */
export async function seedDemoContent(): Promise<string[]> {
  const { prisma } = getDb();
  const lines: string[] = [];
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    const existing = await prisma.user.findUnique({ where: { email: account.email }, select: { id: true } });
    if (existing) continue;
    await prisma.user.create({ data: { id: account.id, email: account.email, name: account.name, role: account.role } });
    created++;
  }
  lines.push(`${created} demo user(s) created, ${DEMO_ACCOUNTS.length - created} already present`);
  return lines;
}
