import Link from "next/link";
import type { AlertDetail } from "@/lib/data/alert-detail";
import { formatTime, verdictLabel } from "./format";
import { HuntOnHost } from "@/components/hunt/hunt-on-host";
import { OperationBadge } from "./operation-badge";
import { TimelineWindowSelect } from "./timeline-window-select";
import { TruncatedText } from "@/components/ui/truncated-text";
import { alertStatusLabel } from "@/lib/format/labels";

export function RelatedSection({ detail }: { detail: AlertDetail }) {
  return (
    <section
      id="related"
      aria-labelledby="related-h"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="related-h" className="text-lg font-semibold">
        Related
      </h2>
      <div>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 className="font-medium">
            Timeline of <span className="literal">{detail.alert.hostName ?? "the host"}</span> ({detail.timeline.length}{" "}
            events
            {detail.timelineTruncated ? ": the window holds more, these are the nearest to the alert" : ""})
          </h3>
          <TimelineWindowSelect value={detail.windowMinutes} />
        </div>
        <HuntOnHost
          alertId={detail.alert.id}
          hostName={detail.alert.hostName}
          at={detail.alert.eventTimestamp}
          windowMinutes={detail.windowMinutes}
        />
        {detail.timeline.length === 0 ? (
          <p className="text-sm text-slate-600">No events on this host in the window.</p>
        ) : (
          <div className="mt-2 max-h-96 overflow-auto">
            <table className="w-full text-left text-xs" data-testid="timeline">
              <thead className="sticky top-0 bg-white text-slate-600">
                <tr>
                  <th className="p-1">Time</th>
                  <th className="p-1">Code</th>
                  <th className="p-1">Dataset</th>
                  <th className="p-1">Action</th>
                  <th className="p-1">Operation</th>
                  <th className="p-1">Detail</th>
                </tr>
              </thead>
              <tbody>
                {detail.timeline.map((e) => (
                  <tr
                    key={e.id}
                    className={`border-t border-slate-100 align-top ${e.isAlertEvent ? "bg-yellow-50 font-medium" : ""}`}
                  >
                    <td className="whitespace-nowrap p-1">{formatTime(e.timestamp)}</td>
                    <td className="p-1">{e.eventCode ?? "—"}</td>
                    <td className="p-1">{e.dataset ?? "—"}</td>
                    <td className="p-1">{e.action ?? "—"}</td>
                    <td className="p-1">
                      <OperationBadge operation={e.operation} />
                    </td>
                    <td className="literal p-1">
                      {e.isAlertEvent && <span className="mr-1 rounded bg-yellow-200 px-1 font-sans">this alert</span>}
                      {e.summary ?? ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>

      <div>
        <h3 className="font-medium">
          Other alerts with the same host, user, consumer or command ({detail.related.length})
        </h3>
        {detail.related.length === 0 ? (
          <p className="text-sm text-slate-600">None.</p>
        ) : (
          <ul className="mt-1 space-y-1 text-sm" data-testid="related-alerts">
            {detail.related.map((r) => (
              <li key={r.id} className="flex flex-wrap gap-2">
                <Link href={`/alerts/${r.id}`} className="text-blue-700 hover:underline">
                  {formatTime(r.eventTimestamp)}
                </Link>
                <span className="text-slate-600">{alertStatusLabel(r.status)}</span>
                <TruncatedText value={r.hostName} max={40} label="host name" />
                <TruncatedText value={r.consumerName} max={40} label="consumer name" />
                <span className="text-xs text-slate-600">same {r.matchedOn.join(", ")}</span>
              </li>
            ))}
          </ul>
        )}
      </div>

      <div>
        <h3 className="font-medium">
          Seen before: closed alerts with the same consumer or command ({detail.seenBefore.length})
        </h3>
        {detail.seenBefore.length === 0 ? (
          <p className="text-sm text-slate-600">Never closed before.</p>
        ) : (
          <ul className="mt-1 space-y-1 text-sm" data-testid="seen-before">
            {detail.seenBefore.map((s) => (
              <li key={s.id} className="flex flex-wrap gap-2">
                <Link href={`/alerts/${s.id}`} className="text-blue-700 hover:underline">
                  {verdictLabel(s.verdict ?? s.closeReason)}
                </Link>
                <span>
                  by {s.closedByName ?? "someone"} at {formatTime(s.closedAt)}
                </span>
                <TruncatedText value={s.hostName} max={40} label="host name" />
                {s.verdictNote && <span className="literal text-slate-600">“{s.verdictNote}”</span>}
                <span className="text-xs text-slate-600">same {s.matchedOn.join(", ")}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
