import "server-only";
import {
  exceptionStatus,
  parseStoredConditions,
  type ExceptionCondition,
  type ExceptionStatus,
} from "@/lib/exceptions/conditions";
import type { Prisma } from "@/lib/generated/prisma/client";

/** The exception row as the exception data functions read it, and the view pages get. */

export const exceptionSelect = {
  id: true,
  ruleId: true,
  name: true,
  comment: true,
  conditions: true,
  enabled: true,
  expiresAt: true,
  hits: true,
  lastHitAt: true,
  itemId: true,
  createdBy: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.RuleExceptionSelect;

export type ExceptionRow = Prisma.RuleExceptionGetPayload<{ select: typeof exceptionSelect }>;

export interface ExceptionView {
  id: string;
  name: string;
  comment: string;
  conditions: ExceptionCondition[];
  enabled: boolean;
  expiresAt: Date | null;
  status: ExceptionStatus;
  hits: number;
  lastHitAt: Date | null;
  itemId: string;
  author: { id: string; name: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toView(row: ExceptionRow, names: Map<string, string>, now: Date): ExceptionView {
  return {
    id: row.id,
    name: row.name,
    comment: row.comment,
    conditions: parseStoredConditions(row.conditions),
    enabled: row.enabled,
    expiresAt: row.expiresAt,
    status: exceptionStatus(row, now),
    hits: row.hits,
    lastHitAt: row.lastHitAt,
    itemId: row.itemId,
    author: row.createdBy ? { id: row.createdBy, name: names.get(row.createdBy) ?? row.createdBy } : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export const auditShape = (e: {
  name: string;
  comment: string;
  conditions: unknown;
  enabled: boolean;
  expiresAt: Date | null;
  itemId?: string | null;
}) => ({
  name: e.name,
  comment: e.comment,
  conditions: e.conditions,
  enabled: e.enabled,
  expiresAt: e.expiresAt,
  itemId: e.itemId ?? null,
});
