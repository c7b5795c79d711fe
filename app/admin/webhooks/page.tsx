import { WebhookForm, WebhookRowActions } from "@/components/admin/webhook-forms";
import { requirePageUser } from "@/lib/auth/session";
import { listWebhookDeliveries, listWebhooks } from "@/lib/data/webhooks";
import { formatTime } from "@/lib/format/time";
import { WEBHOOK_EVENT_LABELS, type WebhookEvent } from "@/lib/webhooks/webhook-message";

export const dynamic = "force-dynamic";

const STATUS_LABELS: Record<string, string> = { pending: "Retrying", delivered: "Delivered", failed: "Failed" };
const eventLabel = (e: string) => WEBHOOK_EVENT_LABELS[e as WebhookEvent] ?? e;

export default async function AdminWebhooksPage() {
  const actor = await requirePageUser("tokens:manage");
  const [hooks, deliveries] = await Promise.all([listWebhooks(actor), listWebhookDeliveries(actor, 100)]);
  return (
    <div className="max-w-5xl space-y-4">
      <h1 className="text-2xl font-semibold">Webhooks</h1>
      <p className="text-sm text-slate-700">
        Case and assignment events are sent as JSON to each webhook, signed with its secret:{" "}
        <code>X-WMI-Signature: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</code>, with <code>X-WMI-Timestamp</code>{" "}
        (Unix seconds) and <code>X-WMI-Delivery</code> (the same id on every retry). A delivery that does not get a 2xx
        answer is retried after 30 s, 1 min, 2 min … (8 attempts in all) by the worker.
      </p>
      <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-medium">Configured</h2>
        {hooks.length === 0 ? (
          <p className="text-sm text-slate-600">No webhook yet.</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="webhooks">
            <thead>
              <tr className="text-slate-600">
                <th className="py-1">Name</th>
                <th>URL</th>
                <th>Events</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {hooks.map((h) => (
                <tr key={h.id} className="border-t border-slate-100 align-top">
                  <td className="py-1">{h.name}</td>
                  <td className="break-all">{h.url}</td>
                  <td>{h.events.map(eventLabel).join(", ")}</td>
                  <td>{h.enabled ? "Enabled" : "Disabled"}</td>
                  <td>
                    <WebhookRowActions id={h.id} name={h.name} enabled={h.enabled} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-medium">Add a webhook</h2>
        <WebhookForm />
      </section>
      <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-medium">Delivery log</h2>
        {deliveries.length === 0 ? (
          <p className="text-sm text-slate-600">Nothing sent yet.</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="webhook-deliveries">
            <thead>
              <tr className="text-slate-600">
                <th className="py-1">Queued</th>
                <th>Webhook</th>
                <th>Event</th>
                <th>Status</th>
                <th>Attempts</th>
                <th>Response</th>
                <th>Last error</th>
                <th>Next attempt</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} className="border-t border-slate-100 align-top">
                  <td className="py-1 whitespace-nowrap">{formatTime(d.createdAt)}</td>
                  <td>{d.webhookName}</td>
                  <td>{eventLabel(d.event)}</td>
                  <td>{STATUS_LABELS[d.status] ?? d.status}</td>
                  <td>{d.attempts}</td>
                  <td>{d.responseCode ?? "—"}</td>
                  <td className="break-all">{d.lastError ?? "—"}</td>
                  <td className="whitespace-nowrap">{d.status === "pending" ? formatTime(d.nextAttemptAt) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
