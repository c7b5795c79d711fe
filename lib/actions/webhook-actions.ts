"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withPermission, type Failure } from "@/lib/actions/with-permission";
import { createWebhook, deleteWebhook, setWebhookEnabled } from "@/lib/data/webhooks";
import { webhookInputSchema, webhookSecretSchema } from "@/lib/webhooks/webhook-message";

export type WebhookActionResult = { ok: true; message: string } | Failure;

const PAGE = "/admin/webhooks";

export const createWebhookAction = withPermission(
  "tokens:manage",
  z.tuple([webhookInputSchema, webhookSecretSchema]),
  async (actor, input, secret): Promise<WebhookActionResult> => {
    const row = await createWebhook(actor, input, secret);
    revalidatePath(PAGE);
    return { ok: true, message: `Webhook "${row.name}" saved; its secret is not shown again` };
  },
  { fieldPaths: true },
);

export const setWebhookEnabledAction = withPermission(
  "tokens:manage",
  z.tuple([z.uuid(), z.boolean()]),
  async (actor, id, enabled): Promise<WebhookActionResult> => {
    await setWebhookEnabled(actor, id, enabled);
    revalidatePath(PAGE);
    return { ok: true, message: enabled ? "Webhook enabled" : "Webhook disabled" };
  },
);

export const deleteWebhookAction = withPermission(
  "tokens:manage",
  z.tuple([z.uuid()]),
  async (actor, id): Promise<WebhookActionResult> => {
    await deleteWebhook(actor, id);
    revalidatePath(PAGE);
    return { ok: true, message: "Webhook deleted" };
  },
);
