import "server-only";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { isFieldName } from "@/lib/hunt/table";

export interface AlertField {
  /** the ECS field's dotted path, as the EQL field reader (lib/eql/fields.ts) reads it */
  path: string;
  /** in how many of the sampled events it has a value */
  count: number;
}

export interface AlertFieldList {
  fields: AlertField[];
  /** how many events were looked at: the events of the newest alerts */
  sampled: number;
}

export const FIELD_SAMPLE = 500;
const MAX_FIELDS = 2000;
const MAX_DEPTH = 16;

/**
 * The field browser's list: the leaf fields present in the events of the newest `sample` alerts
 * (Kibana's field browser lists an index's mapped fields; here the stored documents are the
 * mapping). Documents are stored canonicalised (nested, no dotted keys), so a path is the keys
 * down to a value; arrays of objects are walked into, as Elasticsearch flattens them, and an
 * array of values is one field. Walked in SQL: only the paths leave the database, not documents.
 */
export async function listAlertFields(actor: Actor, sample = FIELD_SAMPLE): Promise<AlertFieldList> {
  assertCan(actor, "alerts:read");
  const client = await getDb().pool.connect();
  try {
    await client.query("BEGIN READ ONLY");
    // the recursive walk's row estimates are absurd (10^9): JIT would compile for half a second a
    // query that runs in tens of milliseconds
    await client.query("SET LOCAL jit = off");
    const { rows } = await client.query<{ path: string | null; n: number }>(
      `WITH RECURSIVE docs AS (
         SELECT e.id, e.doc FROM event e
          WHERE e.id IN (SELECT a.event_id FROM alert a ORDER BY a.event_timestamp DESC LIMIT $1)
       ),
       walk(id, path, depth, v) AS (
         SELECT d.id, j.key, 1, j.value FROM docs d, jsonb_each(d.doc) j
         UNION ALL
         SELECT w.id, w.path || '.' || j.key, w.depth + 1, j.value
           FROM walk w
          CROSS JOIN LATERAL jsonb_path_query(w.v, 'lax $ ? (@.type() == "object")') o(obj)
          CROSS JOIN LATERAL jsonb_each(o.obj) j
          WHERE w.depth < $2 AND jsonb_typeof(w.v) IN ('object', 'array')
       ),
       leaves AS (
         SELECT id, path FROM walk
          WHERE jsonb_typeof(v) NOT IN ('object', 'null')
            AND NOT (jsonb_typeof(v) = 'array' AND jsonb_path_exists(v, 'lax $ ? (@.type() == "object")'))
       )
       SELECT NULL AS path, (SELECT count(*) FROM docs)::int AS n
       UNION ALL
       (SELECT path, count(DISTINCT id)::int FROM leaves GROUP BY path ORDER BY 2 DESC, 1 LIMIT $3)`,
      [sample, MAX_DEPTH, MAX_FIELDS],
    );
    await client.query("COMMIT");
    const sampled = rows.find((r) => r.path === null)?.n ?? 0;
    // only names a column can hold (lib/hunt/table.ts): a key with spaces or quotes is no ECS field
    const fields = rows
      .flatMap((r) => (r.path !== null && isFieldName(r.path) ? [{ path: r.path, count: r.n }] : []))
      .sort((a, b) => b.count - a.count || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { fields, sampled };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
