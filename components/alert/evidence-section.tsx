import type { AlertDetail } from "@/lib/data/alert-detail";
import { CopyButton } from "@/components/ui/copy-button";
import { formatPreciseTime } from "@/lib/triage/subscription-life";
import { formatTime } from "./format";
import { OperationBadge } from "./operation-badge";

function Row({
  label,
  value,
  testId,
  narrow = false,
}: {
  label: string;
  value: string | null | undefined;
  testId?: string;
  narrow?: boolean;
}) {
  return (
    <div
      className={`grid ${narrow ? "grid-cols-[5.5rem_minmax(0,1fr)]" : "grid-cols-1 sm:grid-cols-[14rem_minmax(0,1fr)]"} gap-2 border-b border-slate-100 py-1 text-sm last:border-0`}
    >
      <dt className="text-slate-600">{label}</dt>
      <dd className="literal" data-testid={testId}>
        {value ?? <span className="font-sans text-slate-600">—</span>}
      </dd>
    </div>
  );
}

export function EvidenceSection({ detail }: { detail: AlertDetail }) {
  const { subscription: sub, payloads, event } = detail;
  const rawJson = JSON.stringify(event.doc, null, 2);
  const original =
    event.original === null
      ? null
      : typeof event.original === "string"
        ? event.original
        : JSON.stringify(event.original, null, 2);
  const c = sub.consumer;
  const f = sub.filter;
  const b = sub.binding;
  const isScript = c?.className === "ActiveScriptEventConsumer" || c?.type?.toLowerCase() === "script";
  return (
    <section
      id="evidence"
      aria-labelledby="evidence-h"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="evidence-h" className="text-lg font-semibold">
        Evidence
      </h2>
      <dl>
        {detail.keyFields.map((k) => (
          <Row
            key={k.field}
            label={`${k.label} (${k.field})`}
            value={k.field === "@timestamp" && k.value ? formatTime(k.value) : k.value}
          />
        ))}
      </dl>

      <div>
        <h3 className="font-medium">WMI subscription, rebuilt</h3>
        <p className="text-xs text-slate-600">
          Sysmon logs the filter (19), the consumer (20) and the binding (21) separately; these are the host&apos;s
          events with the names the binding points at, from any time.
        </p>
        <div className="mt-2 grid gap-3 md:grid-cols-3">
          <div className="rounded border border-slate-200 p-3" data-testid="subscription-filter">
            <h4 className="text-sm font-medium">Filter (trigger)</h4>
            <dl>
              <Row narrow label="Name" value={f?.name} />
              <Row narrow label="Namespace" value={f?.eventNamespace} />
              <Row narrow label="Query" value={f?.query} />
              <Row
                narrow
                label="Source"
                value={f ? `${f.source}${f.timestamp ? `, ${formatTime(f.timestamp)}` : ""}` : null}
              />
            </dl>
          </div>
          <div className="rounded border border-slate-200 p-3" data-testid="subscription-consumer">
            <h4 className="text-sm font-medium">Consumer (action)</h4>
            <dl>
              <Row narrow label="Name" value={c?.name} testId="consumer-name" />
              <Row narrow label="Class / type" value={c ? [c.className, c.type].filter(Boolean).join(" / ") : null} />
              <Row
                narrow
                label={isScript ? "Script" : "Command"}
                value={c?.destination ?? detail.alert.command}
                testId="consumer-command"
              />
              {c?.scriptingEngine && <Row narrow label="Scripting engine" value={c.scriptingEngine} />}
              <Row
                narrow
                label="Source"
                value={c ? `${c.source}${c.timestamp ? `, ${formatTime(c.timestamp)}` : ""}` : null}
              />
            </dl>
          </div>
          <div className="rounded border border-slate-200 p-3" data-testid="subscription-binding">
            <h4 className="text-sm font-medium">Binding</h4>
            <dl>
              <Row
                narrow
                label="Consumer ref"
                value={b?.consumerRef ?? (b?.consumer ? `${b.consumer.className}.Name="${b.consumer.name}"` : null)}
              />
              <Row
                narrow
                label="Filter ref"
                value={b?.filterRef ?? (b?.filter ? `${b.filter.className}.Name="${b.filter.name}"` : null)}
              />
              <Row narrow label="Operation" value={b?.operation} />
              <Row narrow label="User" value={b?.user} />
            </dl>
          </div>
        </div>
        {sub.missing.length > 0 && (
          <ul className="mt-2 list-disc pl-5 text-sm text-amber-800" data-testid="subscription-missing">
            {sub.missing.map((m, i) => (
              <li key={i}>
                Missing: <span className="literal">{m}</span>
              </li>
            ))}
          </ul>
        )}
        {sub.nearMatches.length > 0 && (
          <div
            role="alert"
            className="mt-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
            data-testid="subscription-near-matches"
          >
            <p className="font-medium">
              Look-alike names on this host — not joined to this alert (names are compared exactly)
            </p>
            <ul className="mt-1 list-disc pl-5">
              {sub.nearMatches.map((m, i) => (
                <li key={i}>
                  {m.part} <span className="literal">{m.nameCodePoints}</span> differs from the bound{" "}
                  <span className="literal">{m.boundCodePoints}</span> only by {m.differences.join(", ")} (Sysmon{" "}
                  {m.eventCode}
                  {m.operation ? ` ${m.operation}` : ""}
                  {m.timestamp ? `, ${formatTime(m.timestamp)}` : ""})
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>

      <div>
        <h3 className="font-medium">The subscription&apos;s whole life on this host</h3>
        <p
          className={`mt-1 rounded p-2 text-sm ${detail.life.removalLooksDone ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-900"}`}
          data-testid="subscription-state"
        >
          {detail.life.state}
        </p>
        {detail.life.events.length > 0 && (
          <div className="mt-2 overflow-auto">
            <table className="w-full text-left text-xs" data-testid="subscription-life">
              <thead className="text-slate-600">
                <tr>
                  <th className="p-1">Time</th>
                  <th className="p-1">Object</th>
                  <th className="p-1">Operation</th>
                  <th className="p-1">Event</th>
                  <th className="p-1">Process / user</th>
                  <th className="p-1">Query, command or change</th>
                </tr>
              </thead>
              <tbody>
                {detail.life.events.map((e, i) => (
                  <tr
                    key={i}
                    className={`border-t border-slate-100 align-top ${e.isAlertEvent ? "bg-yellow-50 font-medium" : ""}`}
                  >
                    <td className="whitespace-nowrap p-1">{formatPreciseTime(Date.parse(e.time))}</td>
                    <td className="p-1">{e.part}</td>
                    <td className="p-1">
                      <OperationBadge operation={e.operation} />
                    </td>
                    <td className="p-1">{e.eventCode === "api" ? "Defend API" : `Sysmon ${e.eventCode}`}</td>
                    <td className="literal p-1">{e.process ?? e.user ?? "—"}</td>
                    <td className="literal p-1">
                      {e.isAlertEvent && <span className="mr-1 rounded bg-yellow-200 px-1 font-sans">this alert</span>}
                      {e.changes.length > 0
                        ? e.changes.map((c) => (
                            <span key={c.field} className="block">
                              <span className="font-sans text-slate-600">{c.field}: </span>
                              {c.before !== undefined && (
                                <>
                                  <del className="text-red-800">{c.before}</del>
                                  <span className="font-sans"> → </span>
                                </>
                              )}
                              <ins className="text-emerald-800 no-underline">{c.after}</ins>
                            </span>
                          ))
                        : (e.detail ?? "")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>

      <div>
        <h3 className="font-medium">Decoded payloads</h3>
        {payloads.length === 0 ? (
          <p className="text-sm text-slate-600">
            No encoded command or inline script found in the consumer&apos;s command.
          </p>
        ) : (
          <ul className="space-y-2">
            {payloads.map((p, i) => (
              <li key={i} className="rounded border border-slate-200 p-2 text-sm">
                <div className="text-xs text-slate-600">
                  {p.kind}
                  {p.depth > 0 ? ` (nested ${p.depth})` : ""}
                  {p.note ? ` — ${p.note}` : ""}
                </div>
                {p.error ? (
                  <p className="text-red-700">{p.error}</p>
                ) : (
                  <pre tabIndex={0} className="literal mt-1 max-h-80 overflow-auto rounded bg-slate-50 p-2 text-xs">
                    {p.decoded}
                  </pre>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>

      <details>
        <summary className="cursor-pointer font-medium">Raw event (ECS JSON)</summary>
        <div className="mt-2 flex justify-end">
          <CopyButton text={rawJson} label="Copy JSON" />
        </div>
        <pre
          data-testid="raw-event"
          tabIndex={0}
          className="literal mt-1 max-h-[32rem] overflow-auto rounded bg-slate-50 p-2 text-xs"
        >
          {rawJson}
        </pre>
      </details>
      {original && (
        <details>
          <summary className="cursor-pointer font-medium">Original record as received</summary>
          <div className="mt-2 flex justify-end">
            <CopyButton text={original} />
          </div>
          <pre tabIndex={0} className="literal mt-1 max-h-[32rem] overflow-auto rounded bg-slate-50 p-2 text-xs">
            {original}
          </pre>
        </details>
      )}
    </section>
  );
}
