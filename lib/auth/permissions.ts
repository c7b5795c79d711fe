/**
 * The permission matrix, in one place. Every server action and route handler checks one of these
 * through `requirePermission` (lib/auth/session.ts) or the route wrapper; middleware is not the check.
 */
import { AppError } from "@/lib/app-error";

export const ROLES = ["analyst", "lead", "trainer", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  "alerts:read": ["analyst", "lead", "trainer", "admin"],
  /** acknowledge/close, steps, notes, verdicts on alerts */
  "alerts:triage": ["analyst", "lead", "admin"],
  /** assign/reassign alerts to others; mark steps mandatory; reopen from QA */
  "alerts:assign": ["lead", "admin"],
  "cases:read": ["analyst", "lead", "trainer", "admin"],
  "cases:write": ["analyst", "lead", "admin"],
  "cases:close": ["lead", "admin"],
  "events:ingest": ["analyst", "lead", "admin"],
  "events:read": ["analyst", "lead", "trainer", "admin"],
  "rule:read": ["analyst", "lead", "trainer", "admin"],
  /** /hunt: run EQL over the stored events, save queries (pinning evidence also needs alerts:triage or cases:write) */
  "hunt:run": ["analyst", "lead", "trainer", "admin"],
  /** Run now, backfill, enable/disable */
  "rule:run": ["lead", "admin"],
  "exceptions:write": ["lead", "admin"],
  "settings:write": ["lead", "admin"],
  "metrics:read": ["lead", "admin"],
  "audit:read": ["lead", "admin"],
  "training:manage": ["trainer", "admin"],
  "users:manage": ["admin"],
  "tokens:manage": ["admin"],
  /** how long events are kept; purge now */
  "retention:manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function can(role: string | null | undefined, permission: Permission): boolean {
  return isRole(role) && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** The acting user as data functions receive it (lib/data/*): who, and with which role. */
export interface Actor {
  id: string;
  role: string;
  name?: string;
}

/**
 * The same check again inside data functions: an action that forgot `requirePermission` still
 * cannot write. Throws an error whose `code` is "forbidden" (lib/app-error.ts maps it to 403).
 */
export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw new AppError("forbidden", `your role (${actor.role}) may not ${permission}`);
  }
}
