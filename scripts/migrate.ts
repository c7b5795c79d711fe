// npm run db:migrate — apply prisma/migrations to DATABASE_URL (or the embedded Postgres).
import { migrateDatabase, openDatabase } from "@/lib/db/bootstrap";
import { getEnv } from "@/lib/env";

const env = getEnv();
const db = await openDatabase({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.WMI_DATA_DIR,
  embeddedPort: env.EMBEDDED_PG_PORT,
  log: console.log,
});
try {
  const applied = await migrateDatabase(db.url, console.log);
  console.log(applied.length ? `${applied.length} migration(s) applied` : "database is up to date");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.stop();
}
