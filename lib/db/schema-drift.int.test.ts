import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { introspectTables } from "@/lib/db/introspect";
import { applyMigrations } from "@/lib/db/migrate";
import { deriveTables, type TableModel } from "@/lib/db/prisma-schema-model";

/** Every difference between what schema.prisma implies and what the migrations built. */
function diffTables(expected: TableModel[], actual: TableModel[]): string[] {
  const problems: string[] = [];
  const byName = new Map(actual.map((t) => [t.name, t]));
  for (const want of expected) {
    const have = byName.get(want.name);
    if (!have) {
      problems.push(`table ${want.name}: in schema.prisma, missing in the database`);
      continue;
    }
    byName.delete(want.name);
    for (const [col, spec] of Object.entries(want.columns)) {
      const got = have.columns[col];
      if (!got) problems.push(`${want.name}.${col}: missing in the database`);
      else if (JSON.stringify(got) !== JSON.stringify(spec))
        problems.push(
          `${want.name}.${col}: schema.prisma says ${JSON.stringify(spec)}, database has ${JSON.stringify(got)}`,
        );
    }
    for (const col of Object.keys(have.columns))
      if (!want.columns[col]) problems.push(`${want.name}.${col}: in the database, not in schema.prisma`);
    if (want.primaryKey.join() !== have.primaryKey.join())
      problems.push(`${want.name}: primary key ${want.primaryKey} vs ${have.primaryKey}`);
    if (want.indexes.join("|") !== have.indexes.join("|"))
      problems.push(`${want.name}: indexes ${want.indexes.join(" ")} vs ${have.indexes.join(" ")}`);
    if (want.foreignKeys.join("|") !== have.foreignKeys.join("|"))
      problems.push(`${want.name}: foreign keys ${want.foreignKeys.join(" ")} vs ${have.foreignKeys.join(" ")}`);
  }
  for (const extra of byName.keys()) problems.push(`table ${extra}: in the database, not in schema.prisma`);
  return problems;
}

const url = process.env.DATABASE_URL;
let client: pg.Client;

beforeAll(async () => {
  if (!url) throw new Error("DATABASE_URL must point at a migrated test database (npm test sets it)");
  client = new pg.Client({ connectionString: url });
  await client.connect();
  await applyMigrations(client);
});

afterAll(async () => {
  await client?.end();
});

describe("schema.prisma and the migrations agree", () => {
  it("has no drift in tables, columns, types, nullability, defaults, indexes and foreign keys", async () => {
    const schema = await readFile("prisma/schema.prisma", "utf8");
    const problems = diffTables(deriveTables(schema), await introspectTables(client));
    expect(problems).toEqual([]);
  });

  it("notices a change in schema.prisma that no migration made", async () => {
    const schema = await readFile("prisma/schema.prisma", "utf8");
    const edited = schema
      .replace(
        '  verdictNote      String?   @map("verdict_note")',
        '  verdictNote      String    @map("verdict_note")\n  extra Int @default(3)',
      )
      .replace("@@index([hostName])\n", "");
    const problems = diffTables(deriveTables(edited), await introspectTables(client));
    expect(problems).toContain(
      `alert.verdict_note: schema.prisma says {"type":"text","nullable":false,"default":null}, database has {"type":"text","nullable":true,"default":null}`,
    );
    expect(problems).toContain("alert.extra: missing in the database");
    expect(problems.some((p) => p.startsWith("alert: indexes"))).toBe(true);
  });

  it("keeps the audit log append-only", async () => {
    await client.query(`INSERT INTO audit_log (action, entity_type, entity_id) VALUES ('test', 'test', 'drift-test')`);
    await expect(client.query(`UPDATE audit_log SET action = 'x' WHERE entity_id = 'drift-test'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(client.query(`DELETE FROM audit_log WHERE entity_id = 'drift-test'`)).rejects.toThrow(/append-only/);
  });
});
