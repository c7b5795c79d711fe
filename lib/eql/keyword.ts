import type { Literal } from "./ast";

/**
 * The string a value has in a `keyword` field. Elasticsearch indexes JSON numbers and
 * booleans sent to a keyword field as their text (`21` → "21", `true` → "true"), and a
 * term query with a number against a keyword field searches for the number's text.
 * Objects have no keyword value (undefined).
 */
export function toKeyword(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === "boolean") return v ? "true" : "false";
  return undefined;
}

/** Java's Double.toString, which is how Elastic renders a decimal literal (21.0 → "21.0", 1e7 → "1.0E7"). */
export function formatJavaDouble(d: number): string {
  if (Number.isNaN(d)) return "NaN";
  if (!Number.isFinite(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d === 0) return Object.is(d, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [mantissa, exponent] = d.toExponential().split("e");
  const m = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.startsWith("+") ? exponent.slice(1) : exponent}`;
}

/** The keyword text a literal is compared as. */
export function literalKeyword(lit: Literal): string | undefined {
  if (lit.value === null) return undefined;
  if (typeof lit.value === "number" && lit.numberKind === "decimal") return formatJavaDouble(lit.value);
  return toKeyword(lit.value);
}
