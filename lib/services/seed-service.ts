import "server-only";
import { hashPassword } from "@/lib/auth/auth";
import { getDb } from "@/lib/db/client";
import { DEMO_ACCOUNTS } from "@/lib/demo-accounts";

/**
 * Idempotent: running it twice changes nothing the second time. Demo users get a better-auth
 * credential account (providerId "credential", bcrypt hash), exactly what sign-in checks.
 */
export async function seedDemoContent(): Promise<string[]> {
  const { prisma } = getDb();
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    const existing = await prisma.user.findUnique({ where: { email: account.email }, select: { id: true, accounts: { select: { id: true } } } });
    if (existing && existing.accounts.length) continue;
    const passwordHash = await hashPassword(account.password);
    await prisma.$transaction(async (tx) => {
      const user =
        existing ??
        (await tx.user.create({ data: { id: account.id, email: account.email, name: account.name, role: account.role, emailVerified: true }, select: { id: true, accounts: { select: { id: true } } } }));
      await tx.account.create({ data: { id: `${user.id}-credential`, accountId: user.id, providerId: "credential", userId: user.id, password: passwordHash } });
    });
    created++;
  }
  return [`${created} demo user(s) created, ${DEMO_ACCOUNTS.length - created} already present`];
}
