import "server-only";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import { auditShape, exceptionSelect } from "@/lib/data/exception-rows";
import { getDb } from "@/lib/db/client";
import { parseStoredConditions } from "@/lib/exceptions/conditions";
import {
  buildKibanaExport,
  caseInsensitiveWarnings,
  parseKibanaExport,
  sameAsImported,
  type CaseWarning,
  type ImportError,
} from "@/lib/exceptions/kibana";
import type { Prisma } from "@/lib/generated/prisma/client";
import { CURRENT_RULE } from "@/lib/rule/rules";

/** The rule's exceptions in and out as Kibana exception-list NDJSON (lib/exceptions/kibana.ts). */

export interface ImportSummary {
  created: { id: string; itemId: string; name: string }[];
  /** items whose item_id we hold: `changed` false when the file says exactly what is stored (nothing written) */
  updated: { id: string; itemId: string; name: string; changed: boolean }[];
  errors: ImportError[];
  listName: string | null;
}

/** Imports a Kibana exception-list export: items upsert by `item_id`; bad lines are reported, good ones kept. */
export async function importExceptions(user: Actor, text: string): Promise<ImportSummary> {
  assertCan(user, "exceptions:write");
  const parsed = parseKibanaExport(text);
  const summary: ImportSummary = {
    created: [],
    updated: [],
    errors: [...parsed.errors],
    listName: parsed.list?.name ?? null,
  };
  if (parsed.items.length === 0) {
    if (summary.errors.length === 0) summary.errors.push({ line: 0, message: "the file holds no exception items" });
    return summary;
  }
  await getDb().prisma.$transaction(async (tx) => {
    for (const item of parsed.items) {
      const existing = await tx.ruleException.findUnique({ where: { itemId: item.itemId }, select: exceptionSelect });
      if (existing && existing.ruleId !== CURRENT_RULE.ruleId) {
        summary.errors.push({
          line: item.line,
          itemId: item.itemId,
          message: "this item_id belongs to another rule's exception",
        });
        continue;
      }
      const data = {
        name: item.name,
        comment: item.comment,
        conditions: item.conditions as unknown as Prisma.InputJsonValue,
        enabled: item.enabled,
        expiresAt: item.expiresAt,
      };
      if (existing && sameAsImported({ ...existing, conditions: parseStoredConditions(existing.conditions) }, item)) {
        summary.updated.push({ id: existing.id, itemId: item.itemId, name: item.name, changed: false });
      } else if (existing) {
        await tx.ruleException.update({ where: { id: existing.id }, data });
        await appendAudit(tx, {
          actorId: user.id,
          action: "exception.import",
          entityType: "exception",
          entityId: existing.id,
          before: auditShape(existing),
          after: { ...auditShape({ ...item, itemId: item.itemId }), kibanaDropped: item.dropped },
        });
        summary.updated.push({ id: existing.id, itemId: item.itemId, name: item.name, changed: true });
      } else {
        const created = await tx.ruleException.create({
          data: { ...data, ruleId: CURRENT_RULE.ruleId, itemId: item.itemId, createdBy: user.id },
          select: { id: true },
        });
        await appendAudit(tx, {
          actorId: user.id,
          action: "exception.import",
          entityType: "exception",
          entityId: created.id,
          after: { ...auditShape({ ...item, itemId: item.itemId }), kibanaDropped: item.dropped },
        });
        summary.created.push({ id: created.id, itemId: item.itemId, name: item.name });
      }
    }
  });
  summary.errors.sort((a, b) => a.line - b.line);
  return summary;
}

export interface ExportedExceptions {
  text: string;
  /** items Kibana will match case-sensitively although they are case-insensitive here */
  warnings: CaseWarning[];
}

export async function exportExceptions(_user: Actor): Promise<ExportedExceptions> {
  const rows = await getDb().prisma.ruleException.findMany({
    where: { ruleId: CURRENT_RULE.ruleId },
    orderBy: { createdAt: "asc" },
    select: exceptionSelect,
  });
  const portable = rows.map((r) => ({
    id: r.id,
    itemId: r.itemId,
    name: r.name,
    comment: r.comment,
    conditions: parseStoredConditions(r.conditions),
    enabled: r.enabled,
    expiresAt: r.expiresAt,
  }));
  return { text: buildKibanaExport(portable), warnings: caseInsensitiveWarnings(portable) };
}
