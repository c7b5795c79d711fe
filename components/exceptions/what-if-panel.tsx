import Link from "next/link";
import type { WhatIfResult } from "@/lib/data/exception-what-if";
import { alertStatusLabel, verdictLabel } from "@/lib/format/labels";

/** What the draft would have hidden; true positives it would hide are the number that matters. */
export function WhatIfPanel({ result, stale }: { result: WhatIfResult; stale: boolean }) {
  return (
    <section
      aria-label="What-if result"
      className={`space-y-3 rounded-lg border bg-white p-4 ${stale ? "border-amber-300 opacity-70" : "border-slate-200"}`}
    >
      {stale && <p className="text-sm text-amber-800">The conditions changed since this preview: run it again.</p>}
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-600">Rule events it would skip</dt>
          <dd className="text-xl font-semibold" data-testid="whatif-events">
            {result.eventsMatched} <span className="text-sm font-normal text-slate-600">of {result.eventsScanned}</span>
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Alerts it would have suppressed</dt>
          <dd className="text-xl font-semibold" data-testid="whatif-alerts">
            {result.alertsMatched} <span className="text-sm font-normal text-slate-600">of {result.alertsScanned}</span>
          </dd>
        </div>
        <div className={result.truePositives > 0 ? "rounded border border-red-300 bg-red-50 p-2" : ""}>
          <dt className={`text-xs ${result.truePositives > 0 ? "text-red-800" : "text-slate-600"}`}>
            True positives it would hide
          </dt>
          <dd
            className={`text-xl font-semibold ${result.truePositives > 0 ? "text-red-700" : ""}`}
            data-testid="whatif-true-positives"
          >
            {result.truePositives}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">By status</dt>
          <dd className="text-sm">
            {Object.entries(result.byStatus)
              .map(([k, v]) => `${k} ${v}`)
              .join(" · ") || "—"}
          </dd>
        </div>
      </dl>
      {(result.eventsTruncated || result.alertsTruncated) && (
        <p className="text-sm text-amber-800">
          Only the most recent {result.eventsTruncated ? "events" : "alerts"} were scanned (bounded preview): the real
          numbers can be higher.
        </p>
      )}
      {Object.keys(result.byOutcome).length > 0 && (
        <div>
          <h3 className="text-sm font-medium">Closed alerts by close reason / verdict</h3>
          <ul className="text-sm">
            {Object.entries(result.byOutcome).map(([k, v]) => (
              <li key={k} className={k.includes("true_positive") ? "font-semibold text-red-700" : ""}>
                {k
                  .split(" / ")
                  .map((part) => (part.startsWith("no ") ? part : verdictLabel(part)))
                  .join(" / ")}
                : {v}
              </li>
            ))}
          </ul>
        </div>
      )}
      {result.alerts.length > 0 && (
        <table className="w-full text-sm">
          <thead className="text-left text-slate-600">
            <tr>
              <th className="py-1 font-medium">Alert</th>
              <th className="py-1 font-medium">Host</th>
              <th className="py-1 font-medium">Consumer</th>
              <th className="py-1 font-medium">Status</th>
              <th className="py-1 font-medium">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {result.alerts.map((a) => (
              <tr key={a.id} className={`border-t border-slate-100 ${a.truePositive ? "bg-red-50 text-red-800" : ""}`}>
                <td className="py-1">
                  <Link className="text-blue-700 hover:underline" href={`/alerts/${a.id}`}>
                    {a.id.slice(0, 10)}
                  </Link>
                </td>
                <td className="literal py-1">{a.hostName ?? "—"}</td>
                <td className="literal py-1">{a.consumerName ?? "—"}</td>
                <td className="py-1">{alertStatusLabel(a.status)}</td>
                <td className="py-1">{a.truePositive ? "True positive" : verdictLabel(a.verdict ?? a.closeReason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.alertsMatched > result.alerts.length && (
        <p className="text-xs text-slate-600">
          Showing {result.alerts.length} of {result.alertsMatched} alerts, true positives first.
        </p>
      )}
    </section>
  );
}
