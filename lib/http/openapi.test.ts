import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { compileErrors, validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { OPENAPI_DOCUMENT } from "@/lib/http/openapi";

const APP_DIR = path.resolve(__dirname, "../../app");
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;

interface RouteFile {
  file: string;
  segments: string[];
  methods: string[];
}

/** Every `route.ts` under app/ with the HTTP methods it exports, as Next.js serves them. */
function listRouteHandlers(): RouteFile[] {
  const out: RouteFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const source = readFileSync(full, "utf8");
        const methods = [
          ...source.matchAll(
            /^export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/gm,
          ),
        ].map((m) => m[1].toLowerCase());
        const segments = path
          .relative(APP_DIR, dir)
          .split(path.sep)
          .filter((s) => s && !/^\(.*\)$/.test(s)); // (group) folders are not in the URL
        out.push({ file: path.relative(APP_DIR, full), segments, methods });
      }
    }
  };
  walk(APP_DIR);
  return out;
}

/** How Next.js matches a URL's segments against a route folder's: [x] one, [...x] one or more. */
function routeMatches(route: string[], url: string[]): boolean {
  if (route.length === 0) return url.length === 0;
  const [head, ...rest] = route;
  if (/^\[\.\.\..+\]$/.test(head)) return rest.length === 0 && url.length >= 1;
  if (url.length === 0) return false;
  if (/^\[.+\]$/.test(head)) return routeMatches(rest, url.slice(1));
  return head === url[0] && routeMatches(rest, url.slice(1));
}

/** Literal segments win over [x], which wins over [...x] (Next.js' order). */
const specificity = (route: string[]) =>
  route.map((s) => (/^\[\.\.\./.test(s) ? "0" : /^\[/.test(s) ? "1" : "2")).join("") + "3";

const urlSegments = (docPath: string) =>
  docPath
    .slice(1)
    .split("/")
    .map((s) => (/^\{.+\}$/.test(s) ? "sample" : s));

const routes = listRouteHandlers();
const documented = Object.entries(OPENAPI_DOCUMENT.paths as Record<string, Record<string, unknown>>).flatMap(
  ([docPath, item]) => METHODS.filter((m) => m in item).map((method) => ({ docPath, method })),
);

describe("OpenAPI document", () => {
  it("finds the app's route handlers (the walk itself works)", () => {
    const files = routes.map((r) => r.file);
    expect(files).toContain(path.join("api", "ingest", "route.ts"));
    expect(files).toContain(path.join("api", "es", "[...path]", "route.ts"));
    expect(routes.find((r) => r.segments.join("/") === "api/es")?.methods.sort()).toEqual(["get", "head"]);
  });

  it("describes every exported method of every route handler", () => {
    const missing = routes.flatMap((r) =>
      r.methods
        .filter(
          (method) => !documented.some((d) => d.method === method && routeMatches(r.segments, urlSegments(d.docPath))),
        )
        .map((method) => `${method.toUpperCase()} ${r.file}`),
    );
    expect(missing).toEqual([]);
  });

  it("describes no path or method the app does not serve", () => {
    const unserved = documented.filter(({ docPath, method }) => {
      const url = urlSegments(docPath);
      const candidates = routes.filter((r) => routeMatches(r.segments, url));
      const best = candidates.sort((a, b) => specificity(b.segments).localeCompare(specificity(a.segments)))[0];
      return !best?.methods.includes(method);
    });
    expect(unserved.map((d) => `${d.method.toUpperCase()} ${d.docPath}`)).toEqual([]);
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    expect(OPENAPI_DOCUMENT.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(OPENAPI_DOCUMENT) as never);
    expect(result.valid ? "" : compileErrors(result)).toBe("");
  });

  it("rejects a broken document (the validator is really checking)", async () => {
    const broken = structuredClone(OPENAPI_DOCUMENT) as unknown as { paths: Record<string, Record<string, unknown>> };
    broken.paths["/api/health"].get = { responses: "not an object" };
    expect((await validate(broken as never)).valid).toBe(false);
  });

  it("names the security schemes every operation uses", () => {
    const schemes = Object.keys(OPENAPI_DOCUMENT.components.securitySchemes);
    for (const item of Object.values(
      OPENAPI_DOCUMENT.paths as Record<string, Record<string, { security?: readonly object[] }>>,
    ))
      for (const method of METHODS)
        for (const requirement of item[method]?.security ?? [])
          for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
  });
});
