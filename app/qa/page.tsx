import { QaReopenForm, QaSampleSizeForm } from "@/components/cases/qa-review";
import { setQaSampleSizeAction } from "@/lib/actions/settings-actions";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getQaSample } from "@/lib/data/queue";
import { getQaSampleSize } from "@/lib/data/settings";
import { DataTable } from "@/components/ui/data-table";
import { alertRefColumns } from "@/components/alert/alert-ref-columns";
import { Time } from "@/components/ui/time";
import { TruncatedText } from "@/components/ui/truncated-text";

export const dynamic = "force-dynamic";

export default async function QaPage() {
  const user = await requirePageUser("alerts:assign");
  const size = await getQaSampleSize();
  const { alerts, population } = await getQaSample(user, size);
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">QA: false-positive closures</h1>
        <QaSampleSizeForm size={size} canWrite={can(user.role, "settings:write")} action={setQaSampleSizeAction} />
      </div>
      <p className="text-sm text-slate-600">
        A random sample of {alerts.length} of the {population} alerts closed as false positive (the sample changes
        daily). Reopen any that should not have been closed; your comment stays on the alert.
      </p>
      <DataTable
        rows={alerts}
        empty="No false-positive closures to review."
        columns={[
          ...alertRefColumns<(typeof alerts)[number]>(),
          {
            header: "Consumer",
            cell: (a) => <TruncatedText value={a.consumerName} max={40} label="consumer name" />,
          },
          { header: "Command", className: "literal max-w-xs text-xs", cell: (a) => a.command ?? "—" },
          {
            header: "Closed by",
            cell: (a) => (
              <>
                {a.closedByName ?? "—"}
                <br />
                <span className="text-xs text-slate-600">
                  <Time value={a.statusChangedAt} />
                </span>
              </>
            ),
          },
          { header: "Note", className: "literal text-xs", cell: (a) => a.verdictNote ?? "—" },
          { header: "Review", cell: (a) => <QaReopenForm id={a.id} version={a.version} /> },
        ]}
      />
    </div>
  );
}
