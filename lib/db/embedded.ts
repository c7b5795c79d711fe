import { mkdir } from "node:fs/promises";
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
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir });
  const server = new PGLiteSocketServer({ db, port: opts.port, host: "127.0.0.1", maxConnections: 1 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`embedded Postgres could not listen on 127.0.0.1:${opts.port} (${detail}); set EMBEDDED_PG_PORT to a free port`);
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${opts.port}/postgres?sslmode=disable`,
    dataDir,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
