import { isFieldName } from "@/lib/hunt/table";
import type { ColumnPrefs } from "./preferences";

/**
 * ECS fields as columns of the alerts table (the field browser): a field's column id is
 * `field:<path>`, kept in the saved column order beside the table's own columns, so one saved
 * choice holds which fields, where, and which default columns are hidden.
 */
export const FIELD_COLUMN_PREFIX = "field:";
/** a page reads at most this many fields of each row's event */
export const MAX_FIELD_COLUMNS = 20;

export function fieldColumnId(path: string): string {
  return `${FIELD_COLUMN_PREFIX}${path}`;
}

/** The field of a column id, or null for the table's own columns and ids that are no field name. */
export function fieldOfColumn(id: string): string | null {
  if (!id.startsWith(FIELD_COLUMN_PREFIX)) return null;
  const path = id.slice(FIELD_COLUMN_PREFIX.length);
  return isFieldName(path) ? path : null;
}

/** The fields a saved choice shows as columns, in its order (hidden ones included: unhiding needs no reload). */
export function chosenFields(prefs: ColumnPrefs | null): string[] {
  const fields = (prefs?.order ?? []).map(fieldOfColumn).filter((f): f is string => f !== null);
  return [...new Set(fields)].slice(0, MAX_FIELD_COLUMNS);
}

/**
 * The saved order as the table shows it: the known table columns and field columns in their saved
 * places, table columns added since at the end; hidden only what is shown.
 */
export function resolveColumnPrefs(stored: ColumnPrefs | null, tableColumns: readonly string[]): ColumnPrefs {
  const fields = new Set(chosenFields(stored).map(fieldColumnId));
  const known = (id: string) => tableColumns.includes(id) || fields.has(id);
  const order = [...new Set((stored?.order ?? []).filter(known))];
  return {
    order: [...order, ...tableColumns.filter((c) => !order.includes(c))],
    hidden: (stored?.hidden ?? []).filter((id) => order.includes(id) || tableColumns.includes(id)),
  };
}

/** Adds a field as the last column, or takes it away (with its hidden mark). */
export function toggleFieldColumn(prefs: ColumnPrefs, path: string): ColumnPrefs {
  const id = fieldColumnId(path);
  if (prefs.order.includes(id))
    return { order: prefs.order.filter((c) => c !== id), hidden: prefs.hidden.filter((c) => c !== id) };
  if (chosenFields(prefs).length >= MAX_FIELD_COLUMNS) return prefs;
  return { ...prefs, order: [...prefs.order, id] };
}

/** The field browser's search: every word of the query in the path, case-insensitive. */
export function matchesFieldSearch(path: string, query: string): boolean {
  const p = path.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => p.includes(w));
}
