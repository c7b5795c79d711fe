import "server-only";
import { z } from "zod";
import { toErrorBody, type AppErrorCode } from "@/lib/app-error";
import type { Permission } from "@/lib/auth/permissions";
import { requirePermission, type CurrentUser } from "@/lib/auth/session";

/** What every server action returns when it did not run: the one error shape (lib/app-error.ts). */
export type Failure = { ok: false; error: { code: AppErrorCode; message: string; details?: unknown } };

export interface ActionOptions {
  /** name the field of an invalid input in the message ("url: …"): forms with many fields */
  fieldPaths?: boolean;
}

function invalidInput(issue: z.core.$ZodIssue | undefined, path: PropertyKey[], options: ActionOptions): Failure {
  const where = options.fieldPaths && path.length ? `${path.map(String).join(".")}: ` : "";
  return { ok: false, error: { code: "bad_request", message: `${where}${issue?.message ?? "invalid input"}` } };
}

/** Any error as the action's `Failure`: zod's first issue, an AppError's code, else "internal error". */
export function toFailure(error: unknown, options: ActionOptions = {}): Failure {
  if (error instanceof z.ZodError) return invalidInput(error.issues[0], error.issues[0]?.path ?? [], options);
  const { code, message, details } = toErrorBody(error).body.error;
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * The one wrapper of every server action: who is calling (401 when signed out), may they
 * (`permission`, 403 otherwise), their arguments checked by `args` (a zod tuple, one schema per
 * argument), then `fn` with the user and the parsed arguments. Whatever goes wrong comes back as
 * a `Failure`, never as a thrown error the client cannot read.
 */
export function withPermission<A extends z.ZodTuple, T>(
  permission: Permission,
  args: A,
  fn: (actor: CurrentUser, ...input: z.output<A>) => Promise<T>,
  options: ActionOptions = {},
): (...input: z.input<A>) => Promise<T | Failure> {
  return async (...input) => {
    try {
      const actor = await requirePermission(permission);
      const parsed = args.safeParse(input);
      // the path's first element is the argument's position, not a field the user can see
      if (!parsed.success)
        return invalidInput(parsed.error.issues[0], parsed.error.issues[0]?.path.slice(1) ?? [], options);
      return await fn(actor, ...(parsed.data as z.output<A>));
    } catch (error) {
      return toFailure(error, options);
    }
  };
}
