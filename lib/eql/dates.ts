/**
 * Date fields as Elasticsearch compares them. In ECS these fields are mapped `date`, whose
 * default format is `strict_date_optional_time||epoch_millis`: a query value is a date string
 * (year required, everything after it optional, UTC when no zone is given) or epoch
 * milliseconds, as a number or as digits. Comparisons are on the instant, in milliseconds.
 *
 * Missing components are filled the way the range query documents it ("Missing date
 * components"): rounding down fills zeros / the 1st; rounding up (`gt`, `lte`) fills
 * MONTH_OF_YEAR 01, DAY_OF_MONTH 01, HOUR_OF_DAY 23, MINUTE_OF_HOUR 59, SECOND_OF_MINUTE 59
 * and the last millisecond — so `> "2099-12"` means after 2099-12-01T23:59:59.999Z. A term
 * query on a date field is the range [value rounded down, value rounded up]
 * (DateFieldMapper.termQuery), so `@timestamp == "2026-01-05"` holds for the whole day.
 */

/** ECS fields of type `date` (ECS field reference) that events of this project carry. */
export const DATE_FIELDS: ReadonlySet<string> = new Set([
  "@timestamp",
  "event.created",
  "event.ingested",
  "event.start",
  "event.end",
  "process.start",
  "process.end",
  "process.parent.start",
  "file.created",
  "file.ctime",
  "file.mtime",
  "file.accessed",
]);

export const isDateField = (path: string) => DATE_FIELDS.has(path);

const STRICT_DATE_OPTIONAL_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Milliseconds since the epoch of a query value or stored value; null when it is not a date of that format. */
export function parseDateMillis(value: unknown, roundUp = false): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? Math.floor(value) : null;
  if (typeof value !== "string") return null;
  const m = STRICT_DATE_OPTIONAL_TIME.exec(value);
  if (!m) return /^-?\d+$/.test(value) ? Number(value) : null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const num = (text: string | undefined, down: number, up: number) =>
    text === undefined ? (roundUp ? up : down) : Number(text);
  const month = num(mo, 1, 1);
  const day = num(d, 1, 1);
  const hour = num(h, 0, 23);
  const minute = num(mi, 0, 59);
  const second = num(s, 0, 59);
  const ms = frac === undefined ? (roundUp ? 999 : 0) : Number(frac.padEnd(3, "0").slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  let t = Date.UTC(Number(y), month - 1, day, hour, minute, second, ms);
  if (new Date(t).getUTCDate() !== day) return null; // 2026-02-30
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
    t -= sign * offset * 60_000;
  }
  return t;
}
