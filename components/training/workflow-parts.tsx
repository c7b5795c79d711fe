import type { PredicateTrace } from "@/lib/eql/evaluate";
import type { CheckStatus } from "@/lib/triage/false-positive-checks";
import type { EvidenceItem } from "@/lib/triage/investigation-evidence";
import type { Walkthrough } from "@/lib/training/walkthrough";

/**
 * The alert workflow's read-only parts, shared by the trainee page and presenter mode. Every value
 * from the events is attacker-controlled: rendered as React text in `literal`, never as HTML.
 */

function valueText(values: unknown[]): string {
  return values.length === 0
    ? "(no value)"
    : values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ");
}

export function AlertSummary({ w, large = false }: { w: Walkthrough; large?: boolean }) {
  if (!w.focus) return <p className="text-slate-600">This scenario has no events.</p>;
  return (
    <div className={`space-y-2 ${large ? "text-xl" : "text-sm"}`}>
      <p
        className={`rounded px-3 py-2 font-medium ${w.matched ? "bg-amber-50 text-amber-900 ring-1 ring-amber-200" : "bg-slate-100 text-slate-800 ring-1 ring-slate-200"}`}
        data-testid="training-alert-reason"
      >
        <span className="literal">{w.focus.reason}</span>
      </p>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
        <dt className="text-slate-600">Host</dt>
        <dd className="literal">{w.focus.host}</dd>
        <dt className="text-slate-600">User</dt>
        <dd className="literal">{w.focus.user ?? "—"}</dd>
        <dt className="text-slate-600">Event</dt>
        <dd>
          code {w.focus.eventCode ?? "?"} at {w.focus.timestamp ?? "?"} ({w.eventCount} events in the scenario,{" "}
          {w.matchCount} matching the rule)
        </dd>
      </dl>
    </div>
  );
}

function TraceRow({ t }: { t: PredicateTrace }) {
  const ok = t.held !== t.negated;
  return (
    <tr className="border-t border-slate-100 align-top">
      <td className="px-2 py-1">
        {ok ? (
          <span className="text-green-700">✓ holds</span>
        ) : (
          <span className="font-semibold text-red-700">✗ fails</span>
        )}
      </td>
      <td className="literal px-2 py-1">{t.text}</td>
      <td className="literal px-2 py-1 text-slate-700">{valueText(t.values)}</td>
    </tr>
  );
}

export function WhyItMatched({ w, large = false }: { w: Walkthrough; large?: boolean }) {
  if (!w.explanation) return null;
  const rows = w.matched
    ? w.explanation.trace.filter((t) => t.branchIndex === null || t.branchIndex === w.explanation!.branch?.index)
    : w.failing;
  return (
    <div className={`space-y-2 ${large ? "text-lg" : "text-sm"}`}>
      <p>
        {w.matched
          ? "The rule matched on this branch; every predicate below holds:"
          : "The rule did not match. These predicates kept the closest WMI event out:"}
      </p>
      <table className="w-full rounded border border-slate-200 bg-white">
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            <th className="px-2 py-1 font-medium">Result</th>
            <th className="px-2 py-1 font-medium">Predicate</th>
            <th className="px-2 py-1 font-medium">Value in the event</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t, i) => (
            <TraceRow key={i} t={t} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SubscriptionView({ w, large = false }: { w: Walkthrough; large?: boolean }) {
  const s = w.subscription;
  if (!s) return <p className="text-sm text-slate-600">No subscription could be rebuilt.</p>;
  const row = (label: string, value: string | undefined | null) => (
    <>
      <dt className="text-slate-600">{label}</dt>
      <dd className="literal">{value ?? "—"}</dd>
    </>
  );
  return (
    <div className={`grid gap-3 md:grid-cols-3 ${large ? "text-lg" : "text-sm"}`}>
      <section className="rounded border border-slate-200 bg-white p-3">
        <h4 className="mb-1 font-semibold">Filter</h4>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1">
          {row("Name", s.filter?.name)}
          {row("Namespace", s.filter?.eventNamespace)}
          {row("Query", s.filter?.query)}
        </dl>
      </section>
      <section className="rounded border border-slate-200 bg-white p-3">
        <h4 className="mb-1 font-semibold">Binding</h4>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1">
          {row("Operation", s.binding?.operation)}
          {row("Consumer", s.binding?.consumerRef)}
          {row("Filter", s.binding?.filterRef)}
        </dl>
      </section>
      <section className="rounded border border-slate-200 bg-white p-3">
        <h4 className="mb-1 font-semibold">Consumer</h4>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1">
          {row("Class", s.consumer?.className)}
          {row("Name", s.consumer?.name)}
          {row("Runs", s.consumer?.destination)}
        </dl>
      </section>
      {s.missing.length > 0 && (
        <ul className="list-disc pl-5 text-slate-600 md:col-span-3">
          {s.missing.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function PayloadsView({ w }: { w: Walkthrough }) {
  if (w.payloads.length === 0)
    return <p className="text-sm text-slate-600">No encoded payload or script found in the consumer.</p>;
  return (
    <ul className="space-y-2 text-sm">
      {w.payloads.map((p, i) => (
        <li key={i} className="rounded border border-slate-200 bg-white p-2">
          <p className="text-xs text-slate-600">
            {p.kind}
            {p.note ? ` — ${p.note}` : ""}
            {p.error ? ` — ${p.error}` : ""}
          </p>
          <pre className="literal max-h-64 overflow-auto text-xs">{p.decoded}</pre>
        </li>
      ))}
    </ul>
  );
}

export function EvidenceList({ items, large = false }: { items: EvidenceItem[]; large?: boolean }) {
  if (items.length === 0) return null;
  return (
    <dl className={`grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 ${large ? "text-lg" : "text-sm"}`}>
      {items.map((e, i) => (
        <div key={i} className="contents">
          <dt className="text-slate-600" title={e.field}>
            {e.label}
          </dt>
          <dd>
            {e.value !== null ? (
              <span className="literal">{e.value}</span>
            ) : (
              <span className="text-slate-600">{e.missing ?? "no data"}</span>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

const STATUS_STYLE: Record<CheckStatus, string> = {
  pass: "bg-green-100 text-green-800",
  fail: "bg-red-100 text-red-800",
  unknown: "bg-slate-100 text-slate-700",
};
const STATUS_WORD: Record<CheckStatus, string> = {
  pass: "data supports a benign explanation",
  fail: "data contradicts it",
  unknown: "data cannot say",
};

export function CheckBadge({ status }: { status: CheckStatus }) {
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs ${STATUS_STYLE[status]}`}>
      {status}: {STATUS_WORD[status]}
    </span>
  );
}

export function CheckEvidence({ evidence, large = false }: { evidence: string[]; large?: boolean }) {
  return (
    <ul className={`list-disc space-y-1 pl-5 ${large ? "text-lg" : "text-sm"}`}>
      {evidence.map((e, i) => (
        <li key={i} className="literal">
          {e}
        </li>
      ))}
    </ul>
  );
}

export function TipList({ tips }: { tips: { id: string; text: string; authorName: string | null }[] }) {
  if (tips.length === 0) return null;
  return (
    <ul className="space-y-1">
      {tips.map((t) => (
        <li key={t.id} className="rounded bg-sky-50 px-2 py-1 text-sm text-sky-900 ring-1 ring-sky-200">
          <span className="font-medium">Trainer tip{t.authorName ? ` (${t.authorName})` : ""}:</span>{" "}
          <span className="whitespace-pre-wrap">{t.text}</span>
        </li>
      ))}
    </ul>
  );
}
