/**
 * Where to go after signing in: a path on this site, or "/". Browsers read `//host` and `/\host`
 * as another site (the WHATWG URL parser treats `\` as `/` in http(s) URLs), drop tabs and
 * newlines from URLs (`/\t/host` becomes `//host`), and follow any scheme; so only a plain
 * absolute path with no backslash or control character is kept, and it must still resolve to
 * this origin.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 2000) return "/";
  if (!next.startsWith("/") || next.startsWith("//")) return "/";
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return "/";
  const base = "http://next.invalid";
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return "/";
  }
  if (url.origin !== base) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
