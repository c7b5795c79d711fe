// A database of the benchmarks' own on the local PostgreSQL (BENCH_DATABASE_URL overrides):
// created when missing, migrated, and exported as DATABASE_URL for the app's modules.
import pg from "pg";
import { migrateDatabase } from "@/lib/db/bootstrap";

export async function prepareBenchDatabase(name: string, opts: { fresh: boolean }): Promise<string> {
  const url = process.env.BENCH_DATABASE_URL ?? `postgresql://postgres@127.0.0.1:5432/${name}`;
  const target = new URL(url);
  const admin = new pg.Client({
    connectionString: `${target.protocol}//${target.username || "postgres"}@${target.host}/postgres`,
  });
  await admin.connect();
  const dbName = target.pathname.slice(1);
  if (opts.fresh) await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [dbName]);
  if (!exists.rowCount) await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  await migrateDatabase(url);
  process.env.DATABASE_URL = url;
  return url;
}
