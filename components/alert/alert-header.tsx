import type { AlertDetail } from "@/lib/data/alert-detail";
import { formatTime, verdictLabel } from "./format";
import { TruncatedText } from "@/components/ui/truncated-text";
import { StatusControls } from "./status-controls";
import { alertStatusLabel, severityLabel } from "@/lib/format/labels";

const SEVERITY_CLASS: Record<string, string> = {
  low: "bg-sky-100 text-sky-800",
  medium: "bg-amber-100 text-amber-800",
  high: "bg-orange-100 text-orange-800",
  critical: "bg-red-100 text-red-800",
};
const STATUS_CLASS: Record<string, string> = {
  open: "bg-blue-100 text-blue-800",
  acknowledged: "bg-violet-100 text-violet-800",
  closed: "bg-slate-200 text-slate-700",
};

export function AlertHeader({ detail, currentUserId }: { detail: AlertDetail; currentUserId: string }) {
  const { alert, rule, permissions } = detail;
  const techniques = rule.threat.flatMap((t) =>
    (t.technique ?? []).flatMap((tech) => (tech.subtechnique?.length ? tech.subtechnique : [tech])),
  );
  return (
    <header className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h1 className="text-xl font-semibold">{alert.ruleName}</h1>
        <span className="text-sm text-slate-600">v{alert.ruleVersion}</span>
        <span className={`rounded px-2 py-0.5 text-xs font-medium ${SEVERITY_CLASS[alert.severity] ?? "bg-slate-100"}`}>
          {severityLabel(alert.severity)}
        </span>
        <span className="text-sm text-slate-600">risk score {alert.riskScore}</span>
        <span
          data-testid="alert-status"
          className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_CLASS[alert.status] ?? "bg-slate-100"}`}
        >
          {alertStatusLabel(alert.status)}
        </span>
        {techniques.map((t) => (
          <a
            key={t.id}
            href={t.reference}
            target="_blank"
            rel="noreferrer noopener"
            className="text-sm text-blue-700 hover:underline"
          >
            MITRE {t.id} {t.name}
          </a>
        ))}
      </div>
      <p className="text-sm text-slate-700">
        <span className="literal">{alert.reason}</span>
      </p>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-slate-600">Event time</dt>
          <dd>{formatTime(alert.eventTimestamp)}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Host</dt>
          <dd className="literal">{alert.hostName ?? "—"}</dd>
        </div>
        <div>
          <dt className="text-slate-600">User</dt>
          <dd className="literal">{alert.userName ?? "—"}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Status changed</dt>
          <dd>
            {alert.statusChangedAt
              ? `${alert.statusChangedByName ?? "someone"}, ${formatTime(alert.statusChangedAt)}`
              : "—"}
          </dd>
        </div>
        {alert.status === "closed" && (
          <div className="col-span-2 sm:col-span-4">
            <dt className="text-slate-600">Verdict</dt>
            <dd data-testid="verdict">
              {verdictLabel(alert.verdict)}
              {alert.verdictNote && (
                <>
                  {": "}
                  <span className="literal">{alert.verdictNote}</span>
                </>
              )}
            </dd>
          </div>
        )}
      </dl>
      <StatusControls
        status={alert.status}
        assigneeId={alert.assigneeId}
        assigneeName={alert.assigneeName}
        currentUserId={currentUserId}
        assignees={detail.assignees}
        canTriage={permissions.triage}
        canAssign={permissions.assign}
      />
    </header>
  );
}

/** The branch of the rule that matched and every predicate of the trace, with the event's value. */
export function WhyMatched({ detail }: { detail: AlertDetail }) {
  const { branch, trace } = detail.explanation;
  const groups = new Map<number | null, typeof trace>();
  for (const p of trace) groups.set(p.branchIndex, [...(groups.get(p.branchIndex) ?? []), p]);
  const ordered = [...groups.entries()].sort(([a], [b]) =>
    a === branch?.index ? -1 : b === branch?.index ? 1 : (a ?? -1) - (b ?? -1),
  );
  return (
    <section aria-labelledby="why-matched" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="why-matched" className="text-lg font-semibold">
        Why it matched
      </h2>
      {branch ? (
        <p className="mt-1 text-sm">
          Branch {branch.index + 1} of the rule matched:
          <code className="literal mt-1 block rounded bg-slate-50 p-2 text-xs">{branch.text}</code>
        </p>
      ) : (
        <p className="mt-1 text-sm text-slate-600">The alert carries no branch information.</p>
      )}
      {ordered.map(([index, predicates]) => {
        const matched = index === branch?.index;
        const body = (
          <ul className="mt-2 space-y-1 text-sm">
            {predicates.map((p, i) => {
              const ok = p.negated ? !p.held : p.held;
              return (
                <li key={i} className="flex flex-wrap items-start gap-2">
                  <span
                    className={`w-14 shrink-0 rounded px-1.5 text-center text-xs font-medium ${ok ? "bg-emerald-100 text-emerald-800" : "bg-red-100 text-red-800"}`}
                  >
                    {ok ? "held" : "failed"}
                  </span>
                  <code className="literal text-xs">{p.text}</code>
                  <span className="text-xs text-slate-600">event value:</span>
                  {p.values.length === 0 ? (
                    <span className="text-xs text-slate-600">(absent)</span>
                  ) : (
                    p.values.map((v, j) => (
                      <mark
                        key={j}
                        className={`rounded px-1 text-xs text-slate-900 ${ok ? "bg-yellow-100" : "bg-slate-100"}`}
                      >
                        <TruncatedText
                          wrap
                          max={400}
                          label="event value"
                          value={typeof v === "string" ? v : JSON.stringify(v)}
                        />
                      </mark>
                    ))
                  )}
                </li>
              );
            })}
          </ul>
        );
        const title = index === null ? "Shared conditions" : `Branch ${index + 1}${matched ? " (matched)" : ""}`;
        return matched || index === null ? (
          <div key={String(index)} className="mt-3">
            <h3 className="text-sm font-medium">{title}</h3>
            {body}
          </div>
        ) : (
          <details key={String(index)} className="mt-3">
            <summary className="cursor-pointer text-sm font-medium">{title}</summary>
            {body}
          </details>
        );
      })}
    </section>
  );
}
