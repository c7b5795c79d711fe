import type { AlertDetail } from "@/lib/data/alert-detail";
import { describeChange, formatTime } from "./format";

const ACTION_LABELS: Record<string, string> = {
  "alert.step": "step",
  "alert.close": "closed",
  "alert.reopen": "reopened",
  "alert.acknowledge": "acknowledged",
  "alert.status": "status",
  "alert.assign": "assigned",
};

export function HistorySection({
  history,
  stepLabels,
}: {
  history: AlertDetail["history"];
  stepLabels: Record<string, string>;
}) {
  return (
    <section id="history" aria-labelledby="history-h" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="history-h" className="text-lg font-semibold">
        History
      </h2>
      {history.length === 0 ? (
        <p className="text-sm text-slate-600">No changes yet.</p>
      ) : (
        <ol className="mt-2 space-y-2 text-sm" data-testid="history">
          {history.map((h) => {
            const stepKey = (h.after as { stepKey?: string } | null)?.stepKey;
            return (
              <li key={h.id} className="border-b border-slate-100 pb-2 last:border-0">
                <div>
                  <span className="text-slate-600">{formatTime(h.at)}</span> <strong>{h.actorName}</strong>{" "}
                  {ACTION_LABELS[h.action] ?? h.action}
                  {stepKey && <> “{stepLabels[stepKey] ?? stepKey}”</>}
                </div>
                <ul className="ml-4 text-xs text-slate-700">
                  {describeChange(h.before, h.after).map((c) => (
                    <li key={c.key}>
                      {c.key}: <span className="literal text-slate-600">{c.before}</span> →{" "}
                      <span className="literal">{c.after}</span>
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
