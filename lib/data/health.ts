import "server-only";
import { getDb } from "@/lib/db/client";
import { getMigrationStatus } from "@/lib/db/migrate";
import packageJson from "@/package.json" with { type: "json" };

export interface Health {
  status: "ok" | "degraded";
  version: string;
  database: {
    reachable: boolean;
    error?: string;
    migrations?: { applied: number; latest: string | null; pending: string[] };
  };
}

export async function getHealth(): Promise<Health> {
  const version = packageJson.version;
  const client = await getDb()
    .pool.connect()
    .catch((error: Error) => error);
  if (client instanceof Error) {
    return { status: "degraded", version, database: { reachable: false, error: client.message } };
  }
  try {
    const status = await getMigrationStatus(client);
    return {
      status: status.pending.length ? "degraded" : "ok",
      version,
      database: {
        reachable: true,
        migrations: { applied: status.applied.length, latest: status.applied.at(-1) ?? null, pending: status.pending },
      },
    };
  } catch (error) {
    return { status: "degraded", version, database: { reachable: false, error: (error as Error).message } };
  } finally {
    client.release();
  }
}
