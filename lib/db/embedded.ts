import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * The embedded Postgres (PGlite) used when DATABASE_URL is unset: a PostgreSQL build in
 * WebAssembly, persisted under a data folder, served over the Postgres wire protocol on
 * 127.0.0.1 only (it has no authentication). PGlite serves one connection reliably, so the
 * socket server accepts one at a time and callers use a pool of 1.
 */
export interface EmbeddedPostgres {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: { dataDir: string; port: number }): Promise<EmbeddedPostgres> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  // pg_trgm backs the alerts page's substring search index (migration 20261128140000_alert_search)
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const lock = await takeDataDirLock(dataDir);
  const db = await PGlite.create({ dataDir, extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({ db, port: opts.port, host: "127.0.0.1", maxConnections: 1 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    await lock.release();
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(
      `embedded Postgres could not listen on 127.0.0.1:${opts.port} (${detail}); set EMBEDDED_PG_PORT to a free port`,
    );
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${opts.port}/postgres?sslmode=disable`,
    dataDir,
    async stop() {
      await server.stop();
      await db.close();
      await lock.release();
    },
  };
}

/**
 * PGlite's files must have one owner: a second process opening the same data dir (the CLI while
 * the app runs) would corrupt it. A pid file refuses that with a clear message.
 */
async function takeDataDirLock(dataDir: string): Promise<{ release(): Promise<void> }> {
  const lockFile = `${dataDir}.lock`;
  const holder = Number(await readFile(lockFile, "utf8").catch(() => ""));
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `the embedded database in ${dataDir} is in use by process ${holder} (probably \`npm start\`); stop it first, or send files to the running app (POST /api/ingest or the Upload page)`,
    );
  }
  await writeFile(lockFile, String(process.pid));
  return { release: () => rm(lockFile, { force: true }) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
