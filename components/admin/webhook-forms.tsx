"use client";

import { useState, useTransition } from "react";
import { ActionOutcome } from "@/components/ui/action-outcome";
import {
  createWebhookAction,
  deleteWebhookAction,
  setWebhookEnabledAction,
  type WebhookActionResult,
} from "@/lib/actions/webhook-actions";
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_LABELS, type WebhookEvent } from "@/lib/webhooks/webhook-message";
import { Button } from "@/components/ui/button";
import { keepInputOnSubmit } from "@/components/ui/form-submit";

const field = "mt-1 block w-full rounded border border-slate-300 px-2 py-1";

export function WebhookForm() {
  const [result, setResult] = useState<WebhookActionResult | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="space-y-3"
      // a refused URL keeps the name and secret typed; emptied once saved
      {...keepInputOnSubmit((form, element) =>
        start(async () => {
          const outcome = await createWebhookAction(
            {
              name: String(form.get("name") ?? ""),
              url: String(form.get("url") ?? ""),
              events: form.getAll("events").map(String) as WebhookEvent[],
            },
            String(form.get("secret") ?? ""),
          );
          setResult(outcome);
          if (outcome.ok) element.reset();
        }),
      )}
    >
      <label className="block text-sm">
        Name
        <input name="name" required maxLength={200} className={field} />
      </label>
      <label className="block text-sm">
        URL (http:// or https://)
        <input
          name="url"
          type="url"
          required
          maxLength={2000}
          className={field}
          placeholder="https://chat.example/hooks/…"
        />
      </label>
      <label className="block text-sm">
        Secret (at least 16 characters; used to sign each body, never shown again)
        <input name="secret" type="password" required minLength={16} autoComplete="off" className={field} />
      </label>
      <fieldset className="text-sm">
        <legend>Events</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          {WEBHOOK_EVENTS.map((e) => (
            <label key={e} className="flex items-center gap-1">
              <input type="checkbox" name="events" value={e} defaultChecked />
              {WEBHOOK_EVENT_LABELS[e]}
            </label>
          ))}
        </div>
      </fieldset>
      <Button type="submit" disabled={pending} variant="primary">
        Save webhook
      </Button>
      <ActionOutcome result={result} />
    </form>
  );
}

export function WebhookRowActions({ id, name, enabled }: { id: string; name: string; enabled: boolean }) {
  const [result, setResult] = useState<WebhookActionResult | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        type="button"
        disabled={pending}
        onClick={() => start(async () => setResult(await setWebhookEnabledAction(id, !enabled)))}
        size="sm"
      >
        {enabled ? "Disable" : "Enable"}
      </Button>
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          if (window.confirm(`Delete the webhook "${name}" and its delivery log?`))
            start(async () => setResult(await deleteWebhookAction(id)));
        }}
        className="rounded border border-red-300 px-2 py-1 text-xs text-red-700 hover:bg-red-50 disabled:opacity-60"
      >
        Delete
      </button>
      <ActionOutcome result={result} />
    </div>
  );
}
