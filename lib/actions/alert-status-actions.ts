"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { toErrorBody, type AppErrorCode } from "@/lib/app-error";
import { requirePermission } from "@/lib/auth/session";
import {
  alertItemsSchema,
  assignAlerts,
  closeOptionsSchema,
  setAlertsStatus,
  type AlertChangeResult,
  type AlertItem,
  type CloseOptions,
} from "@/lib/data/alert-status";

type Failure = { ok: false; error: { code: AppErrorCode; message: string } };
/** `ok` when the call ran; per-alert outcomes (conflicts, blocked) are in the result. */
export type AlertStatusActionResult = ({ ok: true } & AlertChangeResult) | Failure;

function fail(error: unknown): Failure {
  if (error instanceof z.ZodError)
    return { ok: false, error: { code: "bad_request", message: error.issues[0]?.message ?? "invalid input" } };
  const { body } = toErrorBody(error);
  return { ok: false, error: { code: body.error.code, message: body.error.message } };
}

function revalidate(items: AlertItem[]) {
  revalidatePath("/alerts");
  for (const item of items.slice(0, 100)) revalidatePath(`/alerts/${item.id}`);
}

export async function acknowledgeAlertsAction(items: AlertItem[]): Promise<AlertStatusActionResult> {
  try {
    const actor = await requirePermission("alerts:triage");
    const parsed = alertItemsSchema.parse(items);
    const result = await setAlertsStatus(actor, parsed, "acknowledged");
    revalidate(parsed);
    return { ok: true, ...result };
  } catch (error) {
    return fail(error);
  }
}

export async function closeAlertsAction(items: AlertItem[], options: CloseOptions): Promise<AlertStatusActionResult> {
  try {
    const actor = await requirePermission("alerts:triage");
    const parsed = alertItemsSchema.parse(items);
    const result = await setAlertsStatus(actor, parsed, "closed", closeOptionsSchema.parse(options));
    revalidate(parsed);
    return { ok: true, ...result };
  } catch (error) {
    return fail(error);
  }
}

export async function reopenAlertsAction(items: AlertItem[]): Promise<AlertStatusActionResult> {
  try {
    const actor = await requirePermission("alerts:triage");
    const parsed = alertItemsSchema.parse(items);
    const result = await setAlertsStatus(actor, parsed, "open");
    revalidate(parsed);
    return { ok: true, ...result };
  } catch (error) {
    return fail(error);
  }
}

const assigneeSchema = z.string().min(1).max(100).nullable();

/** `assigneeId` null unassigns. Assigning someone other than yourself needs `alerts:assign`. */
export async function assignAlertsAction(
  items: AlertItem[],
  assigneeId: string | null,
): Promise<AlertStatusActionResult> {
  try {
    const actor = await requirePermission("alerts:triage");
    const parsed = alertItemsSchema.parse(items);
    const target = assigneeSchema.parse(assigneeId);
    if (target !== null && target !== actor.id) await requirePermission("alerts:assign");
    const result = await assignAlerts(actor, parsed, target);
    revalidate(parsed);
    return { ok: true, ...result };
  } catch (error) {
    return fail(error);
  }
}
