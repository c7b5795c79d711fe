import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { getEnv } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * The one database module: one pg pool and one PrismaClient for the process, cached on
 * globalThis in every environment (a second client broke route handlers on the embedded
 * Postgres, and dev hot reloads would otherwise open a pool per reload). Only data-access
 * functions under lib/data import this.
 */
type Db = { pool: pg.Pool; prisma: PrismaClient };
const cache = globalThis as unknown as { __wmiDb?: Db };

// Read when the pool is first created, not at import: CLI entry points set DATABASE_URL after
// starting the embedded database.
function createDb(): Db {
  const env = getEnv();
  if (!env.DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is not set: start the app with `npm start` (it provides the embedded Postgres) or set DATABASE_URL",
    );
  }
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
  // an idle client that errors (server restart) must not crash the process
  pool.on("error", (error) => console.error("database pool error:", error.message));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { pool, prisma };
}

export function getDb(): Db {
  cache.__wmiDb ??= createDb();
  return cache.__wmiDb;
}

export async function closeDb(): Promise<void> {
  const db = cache.__wmiDb;
  cache.__wmiDb = undefined;
  if (db) {
    await db.prisma.$disconnect();
    await db.pool.end().catch(() => {});
  }
}
