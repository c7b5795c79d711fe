/**
 * The one error model: a typed error whose code maps to an HTTP status, rendered everywhere as
 * `{ "error": { "code", "message" } }`.
 */
export type AppErrorCode =
  | "bad_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unavailable"
  | "internal";

const STATUS: Record<AppErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return STATUS[this.code];
  }
}

export interface ErrorBody {
  error: { code: AppErrorCode; message: string; details?: unknown };
}

export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, details: error.details } },
    };
  }
  // Prisma errors are matched by code, never by message text.
  const code = (error as { code?: unknown })?.code;
  if (code === "P2002") return { status: 409, body: { error: { code: "conflict", message: "already exists" } } };
  if (code === "P2025") return { status: 404, body: { error: { code: "not_found", message: "not found" } } };
  return { status: 500, body: { error: { code: "internal", message: "internal error" } } };
}
