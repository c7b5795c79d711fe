import { INPUT_FORMATS } from "@/lib/ingest/types";

/**
 * The OpenAPI 3.1 description of the app's HTTP API (served at GET /api/openapi.json). It is
 * written by hand next to the route handlers; `openapi.test.ts` walks `app/` for `route.ts` files
 * and their exported methods and fails when a handler is missing here or a path here has no
 * handler, and validates the document against the OpenAPI 3.1 schema.
 *
 * The pages' own writes are server actions, not part of this API.
 */

type Json = Record<string, unknown>;

const errorResponse = (description: string): Json => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const esErrorResponse = (description: string): Json => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/EsError" } } },
});

const STANDARD_ERRORS: Json = {
  "401": errorResponse("No session cookie or API token, or the token is unknown or revoked"),
  "403": errorResponse("The role or the API token may not do this, or a cookie-authenticated write came cross-origin"),
};

const idParam = (description: string): Json => ({
  name: "id",
  in: "path",
  required: true,
  description,
  schema: { type: "string" },
});

const ES_SECURITY = [{ esApiKey: [] }, { bearerToken: [] }, { esBasic: [] }];
const USER_OR_TOKEN = [{ sessionCookie: [] }, { bearerToken: [] }];
const USER_ONLY = [{ sessionCookie: [] }];

const esOperation = (summary: string, description: string, responses: Json): Json => ({
  tags: ["Elasticsearch-compatible"],
  summary,
  description,
  security: ES_SECURITY,
  responses: {
    ...responses,
    "401": esErrorResponse("Missing or unknown credentials (WWW-Authenticate: ApiKey, Bearer)"),
  },
});

const esNotFound = (method: string): Json =>
  esOperation(
    `${method} on any other path`,
    "This endpoint speaks a subset of the Elasticsearch API; any other path answers 404 in Elasticsearch's error shape.",
    { "404": esErrorResponse("resource_not_found_exception") },
  );

const bulkOperation = (indexed: boolean): Json =>
  esOperation(
    indexed ? "Bulk index into a named index" : "Bulk index",
    "Elasticsearch's `_bulk` NDJSON (action line, then document). Beats and Elastic Agent gzip it " +
      "(`Content-Encoding: gzip`); the size limit holds on the wire and after gunzip. Events are stored " +
      "and the rule runs over them; the answer is Elasticsearch's bulk response, one item per action.",
    {
      "200": {
        description: "Elasticsearch's bulk response",
        content: { "application/json": { schema: { $ref: "#/components/schemas/BulkResponse" } } },
      },
      "413": esErrorResponse("The body is larger than the limit"),
    },
  );

const bulkBody: Json = {
  required: true,
  content: { "application/x-ndjson": { schema: { type: "string" } } },
};

const bulkPath = (indexed: boolean): Json => ({
  ...(indexed
    ? { parameters: [{ name: "index", in: "path", required: true, schema: { type: "string" } }] }
    : undefined),
  post: { ...bulkOperation(indexed), operationId: indexed ? "esIndexBulk" : "esBulk", requestBody: bulkBody },
  put: { ...bulkOperation(indexed), operationId: indexed ? "esIndexBulkPut" : "esBulkPut", requestBody: bulkBody },
});

const rootInfo = (operationId: string): Json => ({
  ...esOperation("Cluster information", "The version handshake Beats and Elastic Agent make before they publish.", {
    "200": { description: "Elasticsearch's root document (version 8.x)", content: { "application/json": {} } },
  }),
  operationId,
});

export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "wmi-triage API",
    version: "1",
    summary: "Ingest, live state, exports, health and the Elasticsearch-compatible endpoints of wmi-triage",
    description:
      "Machines send events with an API token (created by an admin on the Sources page). A signed-in " +
      "user's session cookie works too; writes with a cookie must come from the app's own origin. Every " +
      'error outside `/api/es` has the shape `{ "error": { "code", "message" } }`.',
  },
  servers: [{ url: "/" }],
  tags: [
    { name: "Ingest", description: "Event files into the app" },
    { name: "Elasticsearch-compatible", description: "What Beats, Elastic Agent and Logstash call" },
    { name: "Alerts", description: "Live state of the alerts for the pages" },
    { name: "Exports", description: "Case reports and hunt results as files" },
    { name: "Auth", description: "Sessions (better-auth)" },
    { name: "Meta", description: "Health and this document" },
  ],
  paths: {
    "/api/ingest": {
      post: {
        tags: ["Ingest"],
        operationId: "ingestFile",
        summary: "Ingest an event file",
        description:
          "The body is the file, streamed (EVTX, Windows XML, NXLog JSON, ECS NDJSON/JSON, an Elasticsearch " +
          "`_search` export). Events are stored idempotently and the rule runs over them in the worker, never " +
          "in this request: the answer waits for that run by default (up to 4 minutes; `detection` says where " +
          "it stands), or comes at once with wait=0.",
        security: USER_OR_TOKEN,
        parameters: [
          {
            name: "format",
            in: "query",
            description: "The file's format; else named by the content type or detected",
            schema: { type: "string", enum: [...INPUT_FORMATS] },
          },
          { name: "filename", in: "query", description: "The ingest job's name", schema: { type: "string" } },
          {
            name: "progress",
            in: "query",
            description:
              "1: answer NDJSON progress lines, the summary line (rule run pending), then a `detection` line " +
              "when the worker's rule run has finished",
            schema: { type: "string", enum: ["0", "1"] },
          },
          {
            name: "wait",
            in: "query",
            description: "Without progress: 1 (default) answers once the rule run has finished, 0 at once",
            schema: { type: "string", enum: ["0", "1"] },
          },
        ],
        requestBody: {
          required: true,
          content: {
            "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } },
          },
        },
        responses: {
          "200": {
            description: "The ingest job's summary (or, with progress=1, NDJSON lines ending with it)",
            content: {
              "application/json": { schema: { $ref: "#/components/schemas/IngestSummary" } },
              "application/x-ndjson": { schema: { type: "string" } },
            },
          },
          "400": errorResponse("Unknown format or bad query"),
          "413": errorResponse("The body is larger than WMI_MAX_INGEST_BYTES (what came before is stored)"),
          "422": {
            description: "The ingest failed; the summary says why",
            content: { "application/json": { schema: { $ref: "#/components/schemas/IngestSummary" } } },
          },
          ...STANDARD_ERRORS,
        },
      },
    },
    "/api/es": {
      get: rootInfo("esRoot"),
      head: {
        ...esOperation("Ping", "Elastic's clients ping before they publish.", { "200": { description: "Up" } }),
        operationId: "esPing",
      },
    },
    "/api/es/": { get: rootInfo("esRootSlash") },
    "/api/es/_license": {
      get: {
        ...esOperation("License", "A basic license, as Beats check it.", {
          "200": { description: "License document", content: { "application/json": {} } },
        }),
        operationId: "esLicense",
      },
    },
    "/api/es/_xpack": {
      get: {
        ...esOperation("X-Pack information", "What Elastic Agent asks before it publishes.", {
          "200": { description: "X-Pack document", content: { "application/json": {} } },
        }),
        operationId: "esXpack",
      },
    },
    "/api/es/_bulk": bulkPath(false),
    "/api/es/{index}/_bulk": bulkPath(true),
    "/api/es/{path}": {
      parameters: [{ name: "path", in: "path", required: true, schema: { type: "string" } }],
      get: { ...esNotFound("GET"), operationId: "esOtherGet" },
      post: { ...esNotFound("POST"), operationId: "esOtherPost" },
      put: { ...esNotFound("PUT"), operationId: "esOtherPut" },
      delete: { ...esNotFound("DELETE"), operationId: "esOtherDelete" },
      patch: { ...esNotFound("PATCH"), operationId: "esOtherPatch" },
    },
    "/api/live": {
      get: {
        tags: ["Alerts"],
        operationId: "getLiveState",
        summary: "Live state of alerts and notifications (short polling)",
        description:
          "New alerts since a time, the unread notification count and, for one alert, its last change. " +
          "The answer carries an ETag; sending it back in If-None-Match gets 304 while nothing changed.",
        security: USER_OR_TOKEN,
        parameters: [
          { name: "since", in: "query", schema: { type: "string", format: "date-time" } },
          { name: "alert", in: "query", description: "An alert id", schema: { type: "string" } },
          { name: "If-None-Match", in: "header", schema: { type: "string" } },
        ],
        responses: {
          "200": { description: "The live state", content: { "application/json": { schema: { type: "object" } } } },
          "304": { description: "Nothing changed since the ETag" },
          "400": errorResponse("Bad since or alert"),
          ...STANDARD_ERRORS,
        },
      },
    },
    "/cases/{id}/export": {
      get: {
        tags: ["Exports"],
        operationId: "exportCase",
        summary: "A case report as a download",
        description: "Markdown for people (summary, timeline, indicators, appendix), JSON complete for tooling.",
        security: USER_ONLY,
        parameters: [
          idParam("The case id"),
          { name: "format", in: "query", schema: { type: "string", enum: ["md", "json"], default: "md" } },
        ],
        responses: {
          "200": {
            description: "The report",
            content: {
              "text/markdown": { schema: { type: "string" } },
              "application/json": { schema: { type: "object" } },
            },
          },
          "400": errorResponse("format must be md or json"),
          "404": errorResponse("No such case"),
          ...STANDARD_ERRORS,
        },
      },
    },
    "/api/hunt/{id}/export": {
      get: {
        tags: ["Exports"],
        operationId: "exportHuntRun",
        summary: "Every hit of a finished hunt",
        security: USER_ONLY,
        parameters: [
          idParam("The hunt run id"),
          { name: "format", in: "query", schema: { type: "string", enum: ["csv", "ndjson"], default: "ndjson" } },
          { name: "cols", in: "query", description: "Comma-separated field names", schema: { type: "string" } },
        ],
        responses: {
          "200": {
            description: "The hits",
            content: {
              "text/csv": { schema: { type: "string" } },
              "application/x-ndjson": { schema: { type: "string" } },
            },
          },
          "404": errorResponse("No such hunt run of yours"),
          ...STANDARD_ERRORS,
        },
      },
    },
    "/api/auth/sign-in/email": {
      post: {
        tags: ["Auth"],
        operationId: "signInEmail",
        summary: "Sign in with email and password (sets the session cookie)",
        security: [],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["email", "password"],
                properties: { email: { type: "string" }, password: { type: "string" } },
              },
            },
          },
        },
        responses: {
          "200": { description: "Signed in; Set-Cookie: wmi.session_token" },
          "401": { description: "Wrong email or password" },
          "429": { description: "Too many failed sign-ins" },
        },
      },
    },
    "/api/auth/sign-out": {
      post: {
        tags: ["Auth"],
        operationId: "signOut",
        summary: "Sign out (ends the session)",
        security: USER_ONLY,
        responses: { "200": { description: "Signed out" } },
      },
    },
    "/api/auth/get-session": {
      get: {
        tags: ["Auth"],
        operationId: "getSession",
        summary: "The current session and user, or null",
        security: USER_ONLY,
        responses: { "200": { description: "The session", content: { "application/json": {} } } },
      },
    },
    "/api/health": {
      get: {
        tags: ["Meta"],
        operationId: "getHealth",
        summary: "Health: database reachable, migrations applied",
        security: [],
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Health" } } },
          },
          "503": {
            description: "degraded",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Health" } } },
          },
        },
      },
    },
    "/api/openapi.json": {
      get: {
        tags: ["Meta"],
        operationId: "getOpenApiDocument",
        summary: "This document",
        security: [],
        responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": {} } } },
      },
    },
  },
  components: {
    securitySchemes: {
      bearerToken: {
        type: "http",
        scheme: "bearer",
        description: "An API token (`Authorization: Bearer wmi_…`); tokens may ingest and read, never triage",
      },
      sessionCookie: {
        type: "apiKey",
        in: "cookie",
        name: "wmi.session_token",
        description: "The signed-in user's session (httpOnly); writes must come from the app's own origin",
      },
      esApiKey: {
        type: "apiKey",
        in: "header",
        name: "Authorization",
        description: "Elastic's `ApiKey base64(id:key)` with the API token as key, as Beats send it",
      },
      esBasic: { type: "http", scheme: "basic", description: "Any user name, the API token as password" },
    },
    schemas: {
      Error: {
        type: "object",
        required: ["error"],
        properties: {
          error: {
            type: "object",
            required: ["code", "message"],
            properties: {
              code: {
                type: "string",
                enum: [
                  "bad_request",
                  "unauthenticated",
                  "forbidden",
                  "not_found",
                  "conflict",
                  "payload_too_large",
                  "unsupported_media_type",
                  "unavailable",
                  "internal",
                ],
              },
              message: { type: "string" },
              details: {},
            },
          },
        },
      },
      EsError: {
        type: "object",
        properties: { error: { type: "object" }, status: { type: "integer" } },
      },
      BulkResponse: {
        type: "object",
        required: ["took", "errors", "items"],
        properties: {
          took: { type: "integer" },
          errors: { type: "boolean" },
          items: { type: "array", items: { type: "object" } },
        },
      },
      IngestSummary: {
        type: "object",
        properties: {
          jobId: { type: "string" },
          fileName: { type: "string" },
          format: { type: ["string", "null"] },
          status: { type: "string", enum: ["succeeded", "failed"] },
          received: { type: "integer" },
          stored: { type: "integer" },
          duplicates: { type: "integer" },
          rejected: { type: "integer" },
          replaced: { type: "integer" },
          alerts: { type: "integer" },
          ruleDisabled: { type: "boolean", description: "the rule is disabled: events stored, no detection" },
          detection: {
            type: ["string", "null"],
            enum: ["pending", "succeeded", "failed", "disabled", null],
            description: "the rule run over the job's events, in the worker (null: none, the ingest failed)",
          },
          bytes: { type: "integer" },
        },
      },
      Health: {
        type: "object",
        required: ["status"],
        properties: {
          status: { type: "string", enum: ["ok", "degraded"] },
          version: { type: "string" },
          database: { type: "object" },
        },
      },
    },
  },
} as const;
