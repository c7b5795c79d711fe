import { getFieldValues } from "@/lib/eql/fields";

/**
 * The hunt's results table as data: which ECS fields are columns, how a cell shows a field's
 * values, sorting and the NDJSON / CSV exports. Pure; attacker-controlled values stay text.
 */

export const DEFAULT_COLUMNS = [
  "@timestamp",
  "host.name",
  "event.code",
  "event.action",
  "process.executable",
  "user.name",
];

/** An ECS field name as a column: dotted segments of letters, digits, `_`, `@`, `-`. */
const FIELD = /^[@A-Za-z0-9_-]+(\.[@A-Za-z0-9_-]+)*$/;

export function isFieldName(text: string): boolean {
  return text.length <= 200 && FIELD.test(text);
}

export function parseColumns(text: string | null | undefined): string[] {
  if (!text) return DEFAULT_COLUMNS;
  const cols = [...new Set(text.split(",").map((c) => c.trim()))].filter((c) => FIELD.test(c)).slice(0, 30);
  return cols.length ? cols : DEFAULT_COLUMNS;
}

/** One cell: the field's values as text, several joined by ", "; objects as JSON. */
export function cellText(doc: Record<string, unknown>, field: string): string {
  return valuesText(getFieldValues(doc, field));
}

/** A field's values (getFieldValues, or the SQL reader's array of them) as one cell's text. */
export function valuesText(values: readonly unknown[]): string {
  return values
    .filter((v) => v !== null && v !== undefined)
    .map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v)))
    .join(", ");
}

export interface SortSpec {
  field: string;
  dir: "asc" | "desc";
}

export function parseSort(text: string | null | undefined): SortSpec {
  const m = /^(-?)(.+)$/.exec(text ?? "");
  if (!m || !FIELD.test(m[2])) return { field: "@timestamp", dir: "asc" };
  return { field: m[2], dir: m[1] === "-" ? "desc" : "asc" };
}

/** Sort rows by a field's first value; numbers numerically, text by code points; missing values last. */
export function sortRows<T>(rows: T[], docOf: (row: T) => Record<string, unknown>, sort: SortSpec): T[] {
  const key = (row: T) => getFieldValues(docOf(row), sort.field)[0];
  const sign = sort.dir === "asc" ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, k: key(row) }))
    .sort((a, b) => {
      if (a.k === undefined || b.k === undefined) return a.k === b.k ? a.i - b.i : a.k === undefined ? 1 : -1;
      const c =
        typeof a.k === "number" && typeof b.k === "number"
          ? a.k - b.k
          : String(a.k) < String(b.k)
            ? -1
            : String(a.k) > String(b.k)
              ? 1
              : 0;
      return c === 0 ? a.i - b.i : c * sign;
    })
    .map((x) => x.row);
}

/**
 * A CSV cell (RFC 4180 quoting). A value a spreadsheet would run as a formula (starting with
 * = + - @, tab or carriage return) gets a leading apostrophe: command lines are attacker text.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(columns: string[], docs: Record<string, unknown>[]): string {
  const lines = [columns.map(csvCell).join(",")];
  for (const doc of docs) lines.push(columns.map((c) => csvCell(cellText(doc, c))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** NDJSON: one stored document per line, as Elasticsearch would return its _source. */
export function toNdjson(docs: Record<string, unknown>[]): string {
  return docs.map((d) => `${JSON.stringify(d)}\n`).join("");
}
