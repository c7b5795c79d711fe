import Link from "next/link";
import { QaReopenForm, QaSampleSizeForm } from "@/components/cases/qa-review";
import { setQaSampleSizeAction } from "@/lib/actions/settings-actions";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getQaSample } from "@/lib/data/queue";
import { getQaSampleSize } from "@/lib/data/settings";
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
      <table className="w-full rounded-lg border border-slate-200 bg-white text-sm">
        <thead className="bg-slate-100 text-left text-slate-600">
          <tr>
            {["Alert", "Host", "Consumer", "Command", "Closed by", "Note", "Review"].map((h) => (
              <th key={h} className="px-2 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={a.id} className="border-t border-slate-100 align-top">
              <td className="px-2 py-1 whitespace-nowrap">
                <Link href={`/alerts/${a.id}`} className="text-blue-700 hover:underline">
                  <Time value={a.eventTimestamp} />
                </Link>
              </td>
              <td className="px-2 py-1">
                <TruncatedText value={a.hostName} max={40} label="host name" />
              </td>
              <td className="px-2 py-1">
                <TruncatedText value={a.consumerName} max={40} label="consumer name" />
              </td>
              <td className="literal max-w-xs px-2 py-1 text-xs">{a.command ?? "—"}</td>
              <td className="px-2 py-1">
                {a.closedByName ?? "—"}
                <br />
                <span className="text-xs text-slate-600">
                  <Time value={a.statusChangedAt} />
                </span>
              </td>
              <td className="literal px-2 py-1 text-xs">{a.verdictNote ?? "—"}</td>
              <td className="px-2 py-1">
                <QaReopenForm id={a.id} version={a.version} />
              </td>
            </tr>
          ))}
          {alerts.length === 0 && (
            <tr>
              <td colSpan={7} className="px-2 py-6 text-center text-slate-600">
                No false-positive closures to review.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
