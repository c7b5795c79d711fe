/**
 * The Elasticsearch API subset that lets Winlogbeat / Elastic Agent ship to this app
 * (`output.elasticsearch: { hosts: ["http://host:3000"], path: "/api/es" }`). Response shapes
 * follow Elastic's REST reference (root info, `_license`, `_bulk`). Pure: parsing and shapes.
 *
 * What Beats 8 calls with `setup.template.enabled: false` and `setup.ilm.enabled: false`
 * (libbeat `esleg/eslegclient/connection.go` and the licenser): `GET /` (the version
 * handshake; the go-elasticsearch client also checks `X-Elastic-Product: Elasticsearch` on
 * every 2xx), `GET /_license?human=false` (refuses to publish unless the license is active),
 * `GET /_xpack` (older Beats' x-pack info), then `POST /_bulk` for the events.
 */
export const COMPAT_VERSION = "8.19.0";
export const PRODUCT_HEADERS = { "X-Elastic-Product": "Elasticsearch" } as const;

export function rootInfo(clusterUuid: string): Record<string, unknown> {
  return {
    name: "wmi-triage",
    cluster_name: "wmi-triage",
    cluster_uuid: clusterUuid,
    version: {
      number: COMPAT_VERSION,
      build_flavor: "default",
      build_type: "docker",
      build_hash: "0000000000000000000000000000000000000000",
      build_date: "2025-01-01T00:00:00.000Z",
      build_snapshot: false,
      lucene_version: "9.12.0",
      minimum_wire_compatibility_version: "7.17.0",
      minimum_index_compatibility_version: "7.0.0",
    },
    tagline: "You Know, for Search",
  };
}

export function licenseInfo(clusterUuid: string): Record<string, unknown> {
  return {
    license: {
      status: "active",
      uid: clusterUuid,
      type: "basic",
      issue_date: "2025-01-01T00:00:00.000Z",
      issue_date_in_millis: 1735689600000,
      max_nodes: 1000,
      max_resource_units: null,
      issued_to: "wmi-triage",
      issuer: "elasticsearch",
      start_date_in_millis: -1,
    },
  };
}

export function xpackInfo(clusterUuid: string): Record<string, unknown> {
  return {
    build: { hash: "0000000000000000000000000000000000000000", date: "2025-01-01T00:00:00.000Z" },
    license: { uid: clusterUuid, type: "basic", mode: "basic", status: "active" },
    features: {},
    tagline: "You know, for X",
  };
}

/** An Elasticsearch-shaped error body (`{ error: { root_cause, type, reason }, status }`). */
export function esError(status: number, type: string, reason: string): Record<string, unknown> {
  return { error: { root_cause: [{ type, reason }], type, reason }, status };
}

/**
 * Beats send their `api_key` setting ("id:key") base64-encoded as `ApiKey <base64>`, and
 * `username`/`password` as Basic auth. Our tokens (`wmit_…`) are accepted in any of those
 * places — raw after ApiKey/Bearer, as the key half of a base64 "id:key", or as the Basic
 * password — and handed on as `Bearer <token>`, the form the route wrapper checks.
 */
export function normalizeShipperAuthorization(header: string | null, tokenPrefix: string): string | null {
  if (!header) return null;
  const match = header.match(/^(ApiKey|Bearer|Basic)\s+(.+)$/i);
  if (!match) return header;
  const scheme = match[1].toLowerCase();
  const value = match[2].trim();
  if (scheme !== "basic" && value.startsWith(tokenPrefix)) return `Bearer ${value}`;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const candidates = colon === -1 ? [decoded] : [decoded.slice(colon + 1), decoded.slice(0, colon)];
  const token = candidates.find((c) => c.startsWith(tokenPrefix));
  return token ? `Bearer ${token}` : header;
}

// ---------------------------------------------------------------- _bulk

export type BulkOp = "create" | "index";

export type BulkItem =
  | { ok: true; op: BulkOp; index: string; id: string | null; source: Record<string, unknown> }
  | { ok: false; op: string; index: string; id: string | null; status: number; type: string; reason: string };

/**
 * Splits a `_bulk` body into action/source pairs. `create` and `index` are supported; `update`
 * and `delete` are answered per item with an error (events here are immutable), and their
 * following line (update's body) is skipped as Elasticsearch would.
 */
export function parseBulkBody(text: string, defaultIndex: string | null): BulkItem[] {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const items: BulkItem[] = [];
  for (let i = 0; i < lines.length; i++) {
    let action: unknown;
    try {
      action = JSON.parse(lines[i]);
    } catch {
      items.push({
        ok: false,
        op: "index",
        index: defaultIndex ?? "",
        id: null,
        status: 400,
        type: "illegal_argument_exception",
        reason: `line ${i + 1}: the action line is not JSON`,
      });
      continue;
    }
    const [op, meta] = isObject(action) ? (Object.entries(action)[0] ?? []) : [];
    const m = isObject(meta) ? meta : {};
    const index = typeof m._index === "string" ? m._index : (defaultIndex ?? "");
    const id = typeof m._id === "string" || typeof m._id === "number" ? String(m._id) : null;
    if (op === "delete") {
      items.push({
        ok: false,
        op,
        index,
        id,
        status: 400,
        type: "illegal_argument_exception",
        reason: "delete is not supported: stored events are immutable",
      });
      continue;
    }
    const sourceLine = lines[i + 1];
    i++;
    if (op !== "create" && op !== "index") {
      items.push({
        ok: false,
        op: typeof op === "string" ? op : "index",
        index,
        id,
        status: 400,
        type: "illegal_argument_exception",
        reason: `${String(op)} is not supported: send create or index actions`,
      });
      continue;
    }
    if (!index) {
      items.push({
        ok: false,
        op,
        index,
        id,
        status: 400,
        type: "action_request_validation_exception",
        reason: "Validation Failed: 1: index is missing;",
      });
      continue;
    }
    if (sourceLine === undefined) {
      items.push({
        ok: false,
        op,
        index,
        id,
        status: 400,
        type: "illegal_argument_exception",
        reason: "the action has no document line after it",
      });
      continue;
    }
    let source: unknown;
    try {
      source = JSON.parse(sourceLine);
    } catch (e) {
      items.push({
        ok: false,
        op,
        index,
        id,
        status: 400,
        type: "document_parsing_exception",
        reason: `failed to parse the document: ${e instanceof Error ? e.message : String(e)}`,
      });
      continue;
    }
    if (!isObject(source)) {
      items.push({
        ok: false,
        op,
        index,
        id,
        status: 400,
        type: "document_parsing_exception",
        reason: "the document is not a JSON object",
      });
      continue;
    }
    items.push({ ok: true, op, index, id, source });
  }
  return items;
}

export type BulkOutcome =
  | { status: 201; id: string }
  | { status: 200; id: string; result: "noop" }
  | { status: 409; id: string }
  | { status: 400; id: string | null; type: string; reason: string };

/** The `_bulk` response: one item per action, in order, and the `errors` flag. */
export function bulkResponse(
  items: Array<{ op: string; index: string; outcome: BulkOutcome }>,
  tookMs: number,
): Record<string, unknown> {
  let errors = false;
  const out = items.map(({ op, index, outcome }) => {
    if (outcome.status === 201 || outcome.status === 200) {
      return {
        [op]: {
          _index: index,
          _id: outcome.id,
          _version: 1,
          result: outcome.status === 201 ? "created" : "noop",
          _shards: { total: 1, successful: 1, failed: 0 },
          _seq_no: 0,
          _primary_term: 1,
          status: outcome.status,
        },
      };
    }
    errors = true;
    const error =
      outcome.status === 409
        ? {
            type: "version_conflict_engine_exception",
            reason: `[${outcome.id}]: version conflict, document already exists (current version [1])`,
            index,
          }
        : { type: outcome.type, reason: outcome.reason, index };
    return { [op]: { _index: index, _id: outcome.id, status: outcome.status, error } };
  });
  return { errors, took: tookMs, items: out };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
