import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";

/**
 * Start-up for every entry point (server, CLI, tests): resolve which Postgres to use,
 * fail loudly when a configured one is unreachable (no silent fallback to embedded),
 * and bring the schema up to date.
 */
export interface DatabaseHandle {
  url: string;
  embedded: EmbeddedPostgres | null;
  /** pool size the app must use against this database */
  poolMax: number;
  stop(): Promise<void>;
}

export class DatabaseUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`cannot reach the database at ${redactUrl(url)}: ${detail}`);
    this.name = "DatabaseUnreachableError";
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

export async function checkReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new DatabaseUnreachableError(url, error);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  embeddedPort: number;
  log?: (line: string) => void;
}): Promise<DatabaseHandle> {
  const log = opts.log ?? (() => {});
  if (opts.databaseUrl) {
    await checkReachable(opts.databaseUrl);
    log(`database: ${redactUrl(opts.databaseUrl)}`);
    return { url: opts.databaseUrl, embedded: null, poolMax: 10, stop: async () => {} };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(opts.dataDir, "pglite"), port: opts.embeddedPort });
  log(`database: embedded Postgres (PGlite) in ${embedded.dataDir}, on 127.0.0.1:${opts.embeddedPort}`);
  return { url: embedded.url, embedded, poolMax: 1, stop: () => embedded.stop() };
}

export async function migrateDatabase(url: string, log?: (line: string) => void): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await applyMigrations(client, { log });
  } finally {
    await client.end().catch(() => {});
  }
}
