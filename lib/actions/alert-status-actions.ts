"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withPermission, type Failure } from "@/lib/actions/with-permission";
import { requirePermission } from "@/lib/auth/session";
import { changeAlertGroup, groupOperationSchema } from "@/lib/data/alert-groups";
import {
  alertItemsSchema,
  assignAlerts,
  closeOptionsSchema,
  setAlertsStatus,
  type AlertChangeResult,
  type AlertItem,
} from "@/lib/data/alert-status";

/** `ok` when the call ran; per-alert outcomes (conflicts, blocked) are in the result. */
export type AlertStatusActionResult = ({ ok: true } & AlertChangeResult) | Failure;

function revalidate(items: AlertItem[]) {
  revalidatePath("/alerts");
  for (const item of items.slice(0, 100)) revalidatePath(`/alerts/${item.id}`);
}

/** Acknowledge or reopen: the status changes alone, nothing else asked. */
const statusAction = (status: "acknowledged" | "open") =>
  withPermission(
    "alerts:triage",
    z.tuple([alertItemsSchema]),
    async (actor, items): Promise<AlertStatusActionResult> => {
      const result = await setAlertsStatus(actor, items, status);
      revalidate(items);
      return { ok: true, ...result };
    },
  );

export const acknowledgeAlertsAction = statusAction("acknowledged");

export const closeAlertsAction = withPermission(
  "alerts:triage",
  z.tuple([alertItemsSchema, closeOptionsSchema]),
  async (actor, items, options): Promise<AlertStatusActionResult> => {
    const result = await setAlertsStatus(actor, items, "closed", options);
    revalidate(items);
    return { ok: true, ...result };
  },
);

export const reopenAlertsAction = statusAction("open");

/** `assigneeId` null unassigns. Assigning someone other than yourself needs `alerts:assign`. */
export const assignAlertsAction = withPermission(
  "alerts:triage",
  z.tuple([alertItemsSchema, z.string().min(1).max(100).nullable()]),
  async (actor, items, assigneeId): Promise<AlertStatusActionResult> => {
    if (assigneeId !== null && assigneeId !== actor.id) await requirePermission("alerts:assign");
    const result = await assignAlerts(actor, items, assigneeId);
    revalidate(items);
    return { ok: true, ...result };
  },
);

/**
 * One group of the grouped alerts list at once (its header's actions): `query` is the list's query
 * string, `key` the group's exact value, `shown` how many alerts the page showed in it.
 */
export const changeAlertGroupAction = withPermission(
  "alerts:triage",
  z.tuple([z.string().max(10_000), z.string().max(100_000).nullable(), z.number().int().min(0), groupOperationSchema]),
  async (actor, query, key, shown, op): Promise<AlertStatusActionResult> => {
    if (op.kind === "assign" && op.assigneeId !== null && op.assigneeId !== actor.id)
      await requirePermission("alerts:assign");
    const result = await changeAlertGroup(actor, query, key, shown, op);
    revalidatePath("/alerts");
    return { ok: true, ...result };
  },
);
