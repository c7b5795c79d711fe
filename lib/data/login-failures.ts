import "server-only";
import type { LoginFailureScope, LoginFailureStore } from "@/lib/auth/login-rate-limit";
import { getDb } from "@/lib/db/client";

/**
 * The sign-in throttle's failures in the `login_failure` table: every app instance on the same
 * database sees the same count, so running N instances does not allow N times the guesses.
 */
const FORGET_ANY_AFTER_MS = 60 * 60_000;

export class PostgresLoginFailureStore implements LoginFailureStore {
  async failuresSince(scope: LoginFailureScope, key: string, since: number): Promise<number[]> {
    const rows = await getDb().prisma.loginFailure.findMany({
      where: { scope, key, failedAt: { gt: new Date(since) } },
      select: { failedAt: true },
      orderBy: { failedAt: "asc" },
    });
    return rows.map((r) => r.failedAt.getTime());
  }

  async addFailure(scope: LoginFailureScope, key: string, at: number, forgetBefore: number): Promise<void> {
    const { prisma } = getDb();
    await prisma.$transaction([
      // this key's expired failures, and anyone's older than the longest window (15 minutes) by far,
      // so keys that never fail again do not pile up
      prisma.loginFailure.deleteMany({
        where: {
          OR: [
            { scope, key, failedAt: { lte: new Date(forgetBefore) } },
            { failedAt: { lt: new Date(at - FORGET_ANY_AFTER_MS) } },
          ],
        },
      }),
      prisma.loginFailure.create({ data: { scope, key, failedAt: new Date(at) } }),
    ]);
  }

  async clearFailures(scope: LoginFailureScope, key: string): Promise<void> {
    await getDb().prisma.loginFailure.deleteMany({ where: { scope, key } });
  }
}
