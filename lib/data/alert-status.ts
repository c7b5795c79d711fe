import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { assertCan, can, type Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import { notifyUser } from "@/lib/data/notifications";
import { DEFAULT_MANDATORY_STEPS, getMandatoryStepsSetting, mandatoryStepsSchema } from "@/lib/data/settings";
import { appLink, queueWebhookEvent } from "@/lib/data/webhooks";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { alertStatusLabel, stepLabel, verdictLabel } from "@/lib/format/labels";
import { formatTime } from "@/lib/format/time";
import { alertSourceOf, applicableMandatorySteps } from "@/lib/triage/step-applicability";

/**
 * Workflow changes on alerts: status (Kibana's open / acknowledged / closed) and assignment.
 * Each call is one transaction; every alert is checked against the version the caller saw
 * (optimistic lock on `alert.version`) and gets its own audit entry. Bulk calls report per alert:
 * one stale or blocked alert does not stop the others.
 */
export const ALERT_STATUSES = ["open", "acknowledged", "closed"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Kibana's close reasons for detection alerts. */
export const CLOSE_REASONS = ["false_positive", "duplicate", "true_positive", "benign_positive", "other"] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const VERDICTS = ["true_positive", "benign_positive", "false_positive", "duplicate", "other"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** At most this many alerts per bulk call (a full table page is 100). */
export const MAX_BULK = 500;

export const alertItemsSchema = z
  .array(
    z.object({
      id: z.string().min(1).max(100),
      version: z.number().int().min(1),
      /**
       * The status and assignee the caller saw. With them, a change to an alert others edited
       * meanwhile (a step ticked, a note) still applies unless its status or assignee changed.
       */
      seen: z.object({ status: z.enum(ALERT_STATUSES), assigneeId: z.string().max(100).nullable() }).optional(),
    }),
  )
  .min(1, "select at least one alert")
  .max(MAX_BULK, `at most ${MAX_BULK} alerts at once`);
export type AlertItem = z.infer<typeof alertItemsSchema>[number];

export const closeOptionsSchema = z.object({
  closeReason: z.enum(CLOSE_REASONS, "choose a close reason"),
  verdict: z.enum(VERDICTS).optional(),
  verdictNote: z.string().trim().max(5000).optional(),
});
export type CloseOptions = z.input<typeof closeOptionsSchema>;

export interface AlertChangeResult {
  /** alerts written (status or assignee changed, version incremented) */
  updated: string[];
  /** alerts already in the requested state: nothing written */
  unchanged: string[];
  /** stale version: someone else changed the alert since the caller loaded it */
  conflicts: { id: string; label: string; message: string }[];
  /** refused for a reason of the alert itself (missing mandatory steps, no such alert, not allowed) */
  blocked: { id: string; label: string; message: string }[];
}

type Tx = Prisma.TransactionClient;

const alertStateSelect = {
  id: true,
  version: true,
  status: true,
  closeReason: true,
  verdict: true,
  verdictNote: true,
  assigneeId: true,
  statusChangedBy: true,
  statusChangedAt: true,
  updatedAt: true,
  hostName: true,
  consumerName: true,
  eventTimestamp: true,
  event: { select: { dataset: true } },
} as const;
type AlertState = Prisma.AlertGetPayload<{ select: typeof alertStateSelect }>;

/** How a message names an alert the analyst cannot see by id: host, consumer, time. */
function alertLabel(alert: Pick<AlertState, "hostName" | "consumerName" | "eventTimestamp">): string {
  return `${alert.hostName ?? "(no host)"} · ${alert.consumerName ?? "(no consumer)"} · ${formatTime(alert.eventTimestamp)}`;
}

const emptyResult = (): AlertChangeResult => ({ updated: [], unchanged: [], conflicts: [], blocked: [] });

function dedupe(items: AlertItem[]): AlertItem[] {
  const seen = new Map<string, AlertItem>();
  for (const item of items) if (!seen.has(item.id)) seen.set(item.id, item);
  return [...seen.values()];
}

/** The guide step ids that must be done before an alert may be closed (setting `mandatorySteps`). */
export async function getMandatorySteps(): Promise<string[]> {
  return (await getMandatoryStepsSetting()).value;
}

async function readMandatorySteps(tx: Tx): Promise<string[]> {
  const row = await tx.setting.findUnique({ where: { key: "mandatorySteps" }, select: { value: true } });
  const parsed = row ? mandatoryStepsSchema.safeParse(row.value) : null;
  return parsed?.success ? parsed.data : DEFAULT_MANDATORY_STEPS;
}

async function userName(tx: Tx, id: string | null | undefined, cache: Map<string, string>): Promise<string> {
  if (!id) return "someone";
  if (!cache.has(id)) cache.set(id, (await tx.user.findUnique({ where: { id }, select: { name: true } }))?.name ?? id);
  return cache.get(id)!;
}

const STATUS_AND_ASSIGNEE_ACTIONS = [
  "alert.status",
  "alert.acknowledge",
  "alert.close",
  "alert.reopen",
  "alert.assign",
  "alert.qa-reopen",
];

/** "this alert was changed by X at T; reload", from the alert's latest status or assignee change. */
async function conflictMessage(
  tx: Tx,
  alert: Pick<AlertState, "id" | "statusChangedBy" | "updatedAt">,
  names: Map<string, string>,
): Promise<string> {
  // who changed the status or the assignee (what this check is about), not who last ticked a step
  const last = await tx.auditLog.findFirst({
    where: { entityType: "alert", entityId: alert.id, action: { in: STATUS_AND_ASSIGNEE_ACTIONS } },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { actorId: true, at: true },
  });
  const who = await userName(tx, last?.actorId ?? alert.statusChangedBy, names);
  return `this alert was changed by ${who} at ${formatTime(last?.at ?? alert.updatedAt)}; reload`;
}

/** Whether the fields a status or assignee change is about are still as the caller saw them. */
function sameAsSeen(alert: AlertState, seen: AlertItem["seen"]): boolean {
  return seen !== undefined && alert.status === seen.status && alert.assigneeId === seen.assigneeId;
}

/**
 * Loads the alerts, sorts out the ones that do not exist or are stale, and calls `apply` for each
 * remaining one inside the same transaction. `apply` returns "blocked: …", "unchanged" or the
 * data to write; the write itself is guarded by `version` again, so a concurrent writer that
 * slipped in between is still reported as a conflict.
 */
async function changeAlerts(
  actor: Actor,
  items: AlertItem[],
  prepare: (
    tx: Tx,
    alerts: AlertState[],
  ) => Promise<
    (alert: AlertState) => Promise<
      | { blocked: string }
      | "unchanged"
      | {
          data: Prisma.AlertUpdateManyMutationInput;
          action: string;
          before: object;
          after: object;
          afterWrite?: () => Promise<void>;
        }
    >
  >,
  outerTx?: Tx,
): Promise<AlertChangeResult> {
  const wanted = dedupe(alertItemsSchema.parse(items));
  const result = emptyResult();
  const body = async (tx: Tx) => {
    const rows = await tx.alert.findMany({ where: { id: { in: wanted.map((i) => i.id) } }, select: alertStateSelect });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const names = new Map<string, string>();
    const current: AlertState[] = [];
    for (const item of wanted) {
      const alert = byId.get(item.id);
      if (!alert) result.blocked.push({ id: item.id, label: item.id, message: "no such alert" });
      // with what the page saw, that decides (its version may have caught up by saving a step);
      // without it, any change since the version conflicts
      else if (item.seen ? !sameAsSeen(alert, item.seen) : alert.version !== item.version)
        result.conflicts.push({
          id: item.id,
          label: alertLabel(alert),
          message: await conflictMessage(tx, alert, names),
        });
      else current.push(alert);
    }
    const apply = await prepare(tx, current);
    for (const alert of current) {
      const change = await apply(alert);
      if (change === "unchanged") {
        result.unchanged.push(alert.id);
        continue;
      }
      if ("blocked" in change) {
        result.blocked.push({ id: alert.id, label: alertLabel(alert), message: change.blocked });
        continue;
      }
      const { count } = await tx.alert.updateMany({
        where: { id: alert.id, version: alert.version },
        data: { ...change.data, version: { increment: 1 } },
      });
      if (count !== 1) {
        result.conflicts.push({
          id: alert.id,
          label: alertLabel(alert),
          message: await conflictMessage(tx, alert, names),
        });
        continue;
      }
      await appendAudit(tx, {
        actorId: actor.id,
        action: change.action,
        entityType: "alert",
        entityId: alert.id,
        before: change.before,
        after: change.after,
      });
      const by = actor.name ?? "someone";
      const assigned = change.action === "alert.assign";
      const after = change.after as { status?: string; verdict?: string | null; assigneeName?: string | null };
      const status = after.status ?? alert.status;
      const verdict = after.verdict === undefined ? null : after.verdict;
      const which = `Alert on ${alert.hostName ?? "an unknown host"}${alert.consumerName ? ` (consumer ${alert.consumerName})` : ""}`;
      const text = assigned
        ? `${which} ${after.assigneeName ? `assigned to ${after.assigneeName}` : "unassigned"} by ${by}`
        : `${which} is ${alertStatusLabel(status)}${verdict ? ` (${verdictLabel(verdict)})` : ""}, by ${by}`;
      await queueWebhookEvent(tx, assigned ? "alert.assigned" : "alert.status_changed", text, {
        alert: {
          id: alert.id,
          hostName: alert.hostName,
          consumerName: alert.consumerName,
          status,
          statusLabel: alertStatusLabel(status),
          ...(verdict ? { verdict, verdictLabel: verdictLabel(verdict) } : {}),
          path: `/alerts/${alert.id}`,
          url: appLink(`/alerts/${alert.id}`),
        },
        action: change.action,
        by: { id: actor.id, name: actor.name ?? null },
        before: change.before,
        after: change.after,
      });
      await change.afterWrite?.();
      result.updated.push(alert.id);
    }
  };
  if (outerTx) await body(outerTx);
  else await getDb().prisma.$transaction(body);
  return result;
}

/**
 * Moves alerts to `status`. Closing needs a close reason and every mandatory guide step done
 * (`alert_step.done`); an alert missing some is reported in `blocked` with the steps it lacks.
 * Reopening clears close reason and verdict: the audit entry keeps what they were.
 */
export async function setAlertsStatus(
  actor: Actor,
  items: AlertItem[],
  status: AlertStatus,
  opts: {
    closeReason?: CloseReason;
    verdict?: Verdict;
    verdictNote?: string;
    /**
     * A lead closing an exception's matches: the exception's name. Unfinished mandatory steps do not
     * block (the exception is the lead's decision about these alerts); the audit entry names the
     * exception and the steps that were skipped.
     */
    byException?: string;
  } = {},
  /** run inside the caller's transaction (a case closing its alerts commits them with the case) */
  tx?: Tx,
): Promise<AlertChangeResult> {
  assertCan(actor, "alerts:triage");
  if (opts.byException !== undefined) assertCan(actor, "exceptions:write");
  const target = z.enum(ALERT_STATUSES).parse(status);
  const close = target === "closed" ? closeOptionsSchema.parse(opts) : null;
  const now = new Date();
  return changeAlerts(
    actor,
    items,
    async (tx, alerts) => {
      let missingByAlert = new Map<string, string[]>();
      if (close && alerts.length) {
        const mandatory = await readMandatorySteps(tx);
        const done = await tx.alertStep.findMany({
          where: { alertId: { in: alerts.map((a) => a.id) }, stepKey: { in: mandatory }, done: true },
          select: { alertId: true, stepKey: true },
        });
        const doneSet = new Set(done.map((d) => `${d.alertId}\u0000${d.stepKey}`));
        // a step that cannot apply to the alert's source (the Defend API step on a Sysmon alert) is never required
        missingByAlert = new Map(
          alerts.map((a) => [
            a.id,
            applicableMandatorySteps(mandatory, alertSourceOf(a.event.dataset)).filter(
              (k) => !doneSet.has(`${a.id}\u0000${k}`),
            ),
          ]),
        );
      }
      return async (alert) => {
        if (alert.status === target && target !== "closed") return "unchanged";
        if (close) {
          if (alert.status === "closed") return "unchanged";
          const missing = missingByAlert.get(alert.id) ?? [];
          if (missing.length && opts.byException === undefined)
            return { blocked: `complete the mandatory steps first: ${missing.map(stepLabel).join("; ")}` };
        }
        const before = {
          status: alert.status,
          closeReason: alert.closeReason,
          verdict: alert.verdict,
          verdictNote: alert.verdictNote,
        };
        const fields = close
          ? {
              closeReason: close.closeReason,
              // the close reasons and the verdicts are the same vocabulary: the reason is the verdict unless one is
              // given
              verdict: close.verdict ?? close.closeReason,
              verdictNote: close.verdictNote ?? alert.verdictNote,
            }
          : { closeReason: null, verdict: null, verdictNote: null };
        return {
          action:
            target === "closed"
              ? "alert.close"
              : alert.status === "closed"
                ? "alert.reopen"
                : target === "acknowledged"
                  ? "alert.acknowledge"
                  : "alert.status",
          data: { status: target, statusChangedBy: actor.id, statusChangedAt: now, ...fields },
          before,
          after: {
            status: target,
            ...fields,
            ...(close && opts.byException !== undefined
              ? { closedByException: opts.byException, skippedMandatorySteps: missingByAlert.get(alert.id) ?? [] }
              : {}),
          },
        };
      };
    },
    tx,
  );
}

/**
 * Assigns alerts to `assigneeId` (or unassigns with null). The assignee must be an enabled user
 * who may triage; they get a notification when someone else assigned them. Taking an alert
 * yourself needs `alerts:triage`; giving it to someone else, or taking it from them, `alerts:assign`.
 */
export async function assignAlerts(
  actor: Actor,
  items: AlertItem[],
  assigneeId: string | null,
): Promise<AlertChangeResult> {
  assertCan(actor, "alerts:triage");
  if (assigneeId !== null && assigneeId !== actor.id) assertCan(actor, "alerts:assign");
  const mayReassign = can(actor.role, "alerts:assign");
  return changeAlerts(actor, items, async (tx) => {
    let assigneeName: string | null = null;
    if (assigneeId !== null) {
      const u = await tx.user.findUnique({
        where: { id: assigneeId },
        select: { name: true, disabled: true, role: true },
      });
      if (!u || u.disabled) throw new AppError("bad_request", "the assignee does not exist or is disabled");
      if (!can(u.role, "alerts:triage")) throw new AppError("bad_request", `a ${u.role} cannot triage alerts`);
      assigneeName = u.name;
    }
    const actorName =
      actor.name ?? (await tx.user.findUnique({ where: { id: actor.id }, select: { name: true } }))?.name ?? "Someone";
    return async (alert) => {
      if (alert.assigneeId === assigneeId) return "unchanged";
      if (!mayReassign && alert.assigneeId !== null && alert.assigneeId !== actor.id) {
        return { blocked: "this alert is assigned to someone else; only a lead can reassign it" };
      }
      return {
        action: "alert.assign",
        data: { assigneeId },
        before: { assigneeId: alert.assigneeId },
        after: { assigneeId, assigneeName },
        afterWrite:
          assigneeId && assigneeId !== actor.id
            ? () =>
                notifyUser(
                  tx,
                  assigneeId,
                  `${actorName} assigned you alert ${alert.id.slice(0, 8)} on ${alert.hostName ?? "unknown host"}${alert.consumerName ? ` (${alert.consumerName})` : ""}`,
                  `/alerts/${alert.id}`,
                )
            : undefined,
      };
    };
  });
}
