import { WebhookForm, WebhookRowActions } from "@/components/admin/webhook-forms";
import { DataTable } from "@/components/ui/data-table";
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
        answer is retried after 30 s, 1 min, 2 min … (8 attempts in all). Deliveries go out as soon as the change is
        saved; only public addresses are used unless the server sets <code>WEBHOOK_ALLOW_PRIVATE=1</code>.
      </p>
      <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-medium">Configured</h2>
        {hooks.length === 0 ? (
          <p className="text-sm text-slate-600">No webhook yet.</p>
        ) : (
          <DataTable
            framed={false}
            testId="webhooks"
            rows={hooks}
            columns={[
              { header: "Name", cell: (h) => h.name },
              { header: "URL", className: "break-all", cell: (h) => h.url },
              { header: "Events", cell: (h) => h.events.map(eventLabel).join(", ") },
              { header: "State", cell: (h) => (h.enabled ? "Enabled" : "Disabled") },
              { header: "", cell: (h) => <WebhookRowActions id={h.id} name={h.name} enabled={h.enabled} /> },
            ]}
          />
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
          <DataTable
            framed={false}
            testId="webhook-deliveries"
            rows={deliveries}
            columns={[
              { header: "Queued", className: "whitespace-nowrap", cell: (d) => formatTime(d.createdAt) },
              { header: "Webhook", cell: (d) => d.webhookName },
              { header: "Event", cell: (d) => eventLabel(d.event) },
              {
                header: "Status",
                cell: (d) =>
                  d.status === "pending" && d.attempts === 0 ? "Queued" : (STATUS_LABELS[d.status] ?? d.status),
              },
              { header: "Attempts", cell: (d) => d.attempts },
              { header: "Response", cell: (d) => d.responseCode ?? "—" },
              { header: "Last error", className: "break-all", cell: (d) => d.lastError ?? "—" },
              {
                header: "Next attempt",
                className: "whitespace-nowrap",
                cell: (d) => (d.status === "pending" ? formatTime(d.nextAttemptAt) : "—"),
              },
            ]}
          />
        )}
      </section>
    </div>
  );
}
