import { createHash } from "node:crypto";
import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, getMigrationStatus, MigrationError } from "@/lib/db/migrate";

const schema = `migrate_test_${process.pid}_${Date.now()}`;
let client: pg.Client;
let dir: string;

async function writeMigration(name: string, sql: string) {
  await mkdir(path.join(dir, name), { recursive: true });
  await writeFile(path.join(dir, name, "migration.sql"), sql);
}

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.query(`SET search_path TO "${schema}"`);
  dir = await mkdtemp(path.join(tmpdir(), "wmi-migrations-"));
});

afterAll(async () => {
  // The embedded database has one session behind all its connections: a search_path left set
  // here would send every later test file's queries to the dropped schema.
  await client.query("RESET search_path");
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

describe("the migration runner", () => {
  it("applies pending migrations in order and records them as Prisma does", async () => {
    const sql = `CREATE TABLE "thing" ("id" INTEGER NOT NULL, CONSTRAINT "thing_pkey" PRIMARY KEY ("id"));\n`;
    await writeMigration("20260101000000_first", sql);
    expect(await applyMigrations(client, { dir })).toEqual(["20260101000000_first"]);
    const { rows } = await client.query(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].checksum).toBe(createHash("sha256").update(sql).digest("hex"));
    expect(rows[0].finished_at).not.toBeNull();
    expect(rows[0].applied_steps_count).toBe(1);
    expect(await applyMigrations(client, { dir })).toEqual([]);
  });

  it("rolls a failing migration back whole, names it, and records nothing", async () => {
    await writeMigration(
      "20260102000000_broken",
      `CREATE TABLE "half" ("id" INTEGER);\nINSERT INTO "thing" VALUES (1);\nSELECT no_such_function();\n`,
    );
    const error = await applyMigrations(client, { dir }).catch((e) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toContain("20260102000000_broken");
    expect(error.message).toMatch(/no_such_function/);
    const half = await client.query(`SELECT to_regclass('"${schema}"."half"') AS t`);
    expect(half.rows[0].t).toBeNull();
    expect((await client.query(`SELECT count(*)::int AS n FROM "thing"`)).rows[0].n).toBe(0);
    const status = await getMigrationStatus(client, dir);
    expect(status.applied).toEqual(["20260101000000_first"]);
    expect(status.pending).toEqual(["20260102000000_broken"]);
  });
});
