import type pg from "pg";
import type { ColumnModel, TableModel } from "@/lib/db/prisma-schema-model";

/** Reads the same shape as deriveTables() from a live database's catalogue (public schema). */
export async function introspectTables(client: pg.ClientBase, schema = "public"): Promise<TableModel[]> {
  const tables = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`,
    [schema],
  );
  const columns = await client.query<{
    table_name: string;
    column_name: string;
    udt_name: string;
    is_nullable: string;
    column_default: string | null;
  }>(
    `SELECT table_name, column_name, udt_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = $1`,
    [schema],
  );
  const indexes = await client.query<{ table_name: string; unique: boolean; primary: boolean; columns: string[] }>(
    `SELECT t.relname AS table_name, i.indisunique AS unique, i.indisprimary AS primary,
            array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = $1
      GROUP BY t.relname, i.indexrelid, i.indisunique, i.indisprimary`,
    [schema],
  );
  const fks = await client.query<{ table_name: string; def: string }>(
    `SELECT t.relname AS table_name, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE c.contype = 'f' AND n.nspname = $1`,
    [schema],
  );
  return tables.rows.map(({ table_name }) => {
    const model: TableModel = { name: table_name, columns: {}, primaryKey: [], indexes: [], foreignKeys: [] };
    for (const c of columns.rows.filter((r) => r.table_name === table_name)) {
      model.columns[c.column_name] = {
        type: c.udt_name,
        nullable: c.is_nullable === "YES",
        default: normaliseDbDefault(c.column_default),
      };
    }
    for (const i of indexes.rows.filter((r) => r.table_name === table_name)) {
      if (i.primary) model.primaryKey = i.columns;
      else model.indexes.push(`${i.unique ? "unique" : "index"}:${i.columns.join(",")}`);
    }
    for (const f of fks.rows.filter((r) => r.table_name === table_name))
      model.foreignKeys.push(normaliseForeignKey(f.def));
    model.indexes.sort();
    model.foreignKeys.sort();
    return model;
  });
}

function normaliseDbDefault(value: string | null): ColumnModel["default"] {
  if (value === null) return null;
  if (/^nextval\(/.test(value)) return "autoincrement";
  if (/^(CURRENT_TIMESTAMP|now\(\))/i.test(value)) return "now()";
  if (/^ARRAY\[\]/.test(value) || value === "'{}'::text[]") return "{}";
  const literal = /^'((?:[^']|'')*)'::[\w ]+(\[\])?$/.exec(value);
  if (literal) return literal[1].replace(/''/g, "'");
  return value;
}

// "FOREIGN KEY (user_id) REFERENCES "user"(id) ON UPDATE CASCADE ON DELETE CASCADE"
function normaliseForeignKey(def: string): string {
  const m = /FOREIGN KEY \(([^)]+)\) REFERENCES ("?[\w.]+"?)\(([^)]+)\)(.*)$/.exec(def);
  if (!m) return def;
  const unquote = (s: string) => s.replace(/"/g, "").replace(/\s+/g, "");
  const rest = m[4];
  // pg_get_constraintdef omits the NO ACTION defaults
  const del = /ON DELETE (CASCADE|SET NULL|RESTRICT|SET DEFAULT|NO ACTION)/.exec(rest)?.[1] ?? "NO ACTION";
  const upd = /ON UPDATE (CASCADE|SET NULL|RESTRICT|SET DEFAULT|NO ACTION)/.exec(rest)?.[1] ?? "NO ACTION";
  return `${unquote(m[1])}->${unquote(m[2]).replace(/^public\./, "")}(${unquote(m[3])}) on delete ${del} on update ${upd}`;
}
