import { Markdown } from "@/components/cases/markdown";
import type { CaseReport } from "@/lib/data/case-report";
import {
  alertStatusLabel,
  auditActionLabel,
  caseStatusLabel,
  severityLabel,
  stepAnswerLabel,
  verdictLabel,
} from "@/lib/format/labels";
import { formatTime } from "@/lib/format/time";

/**
 * The case report as a printable page: the same report data and sections as the Markdown export
 * (lib/data/case-report-markdown.ts), event values as text in code style, descriptions and
 * comments rendered through the one Markdown sanitiser. The print stylesheet (app/globals.css,
 * `[data-print-report]`) drops the navigation, forces black on white and keeps rows whole.
 */

const cellClass = "border border-slate-300 px-2 py-1 text-left align-top";

function Table({ head, rows, testId }: { head: string[]; rows: React.ReactNode[][]; testId?: string }) {
  return (
    <table className="w-full border-collapse text-sm" data-testid={testId}>
      <thead className="bg-slate-100">
        <tr>
          {head.map((h) => (
            <th key={h} className={`${cellClass} font-medium`}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            {row.map((c, j) => (
              <td key={j} className={cellClass}>
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An event value: shown as written, never interpreted; names stay whole, long text (`wrap`) wraps anywhere. */
function V({ value, wrap = false }: { value: string | null | undefined; wrap?: boolean }) {
  if (!value) return <>—</>;
  return (
    <code
      className={`literal rounded bg-slate-100 px-1 text-xs ${wrap ? "[overflow-wrap:anywhere]" : "whitespace-nowrap"}`}
    >
      {value}
    </code>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="report-section space-y-2">
      <h2 className="border-b border-slate-300 pb-1 text-lg font-semibold">{title}</h2>
      {children}
    </section>
  );
}

export function CaseReportView({ report: r }: { report: CaseReport }) {
  const c = r.case;
  const s = r.summary;
  const i = r.indicators;
  const comments = [
    ...r.comments.map((cm) => ({ ...cm, on: "the case" })),
    ...r.alerts.flatMap((a) => a.comments.map((cm) => ({ ...cm, on: `the alert on ${a.evidence.hostName ?? "?"}` }))),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <article data-print-report className="mx-auto max-w-5xl space-y-6 bg-white p-6 text-slate-900">
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold">
          Case #{c.number}: <span className="literal">{c.title}</span>
        </h1>
        <p className="text-sm text-slate-600">
          {r.rule.name} (rule version {r.rule.version}) · report generated {formatTime(r.generatedAt)} by{" "}
          <span className="literal">{r.generatedBy}</span>
        </p>
      </header>

      <Section title="Summary">
        <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1 text-sm" data-testid="report-summary">
          <dt className="font-medium">What</dt>
          <dd>
            <span className="literal">{c.title}</span>: {r.alerts.length} alert{r.alerts.length === 1 ? "" : "s"} of{" "}
            {r.rule.name}
          </dd>
          <dt className="font-medium">Where</dt>
          <dd>{s.where.length ? s.where.map((h) => <V key={h} value={h} />) : "—"}</dd>
          <dt className="font-medium">When</dt>
          <dd>{s.firstEvent ? `${formatTime(s.firstEvent)} – ${formatTime(s.lastEvent)}` : "—"}</dd>
          <dt className="font-medium">Verdict</dt>
          <dd>{s.verdict ? verdictLabel(s.verdict) : "not decided (the case is not closed)"}</dd>
          <dt className="font-medium">Status</dt>
          <dd>
            {caseStatusLabel(c.status)} · severity {severityLabel(c.severity)}
          </dd>
          <dt className="font-medium">Assignee</dt>
          <dd className="literal">{c.assignee ?? "—"}</dd>
          <dt className="font-medium">Closed by</dt>
          <dd>
            {s.closedBy ? (
              <>
                <span className="literal">{s.closedBy}</span> at {formatTime(s.closedAt)}
              </>
            ) : (
              "—"
            )}
          </dd>
          <dt className="font-medium">Closing note</dt>
          <dd className="literal whitespace-pre-wrap">{s.closingNote ?? "—"}</dd>
          <dt className="font-medium">Tags</dt>
          <dd className="literal">{c.tags.join(", ") || "—"}</dd>
        </dl>
      </Section>

      <Section title="Attack timeline">
        {r.attackTimeline.length === 0 ? (
          <p className="text-sm">
            No filter, consumer, binding or consumer-execution events are stored for these alerts.
          </p>
        ) : (
          <Table
            testId="report-attack-timeline"
            head={["Time", "Host", "What", "Operation", "User", "Detail"]}
            rows={r.attackTimeline.map((t) => [
              <span key="t" className="whitespace-nowrap">
                {formatTime(t.time)}
              </span>,
              <V key="h" value={t.host} />,
              t.what,
              <V key="o" value={t.operation} />,
              <V key="u" value={t.user} />,
              <V key="d" value={t.detail} wrap />,
            ])}
          />
        )}
      </Section>

      <Section title="Indicators">
        <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1 text-sm" data-testid="report-indicators">
          {(
            [
              ["Hosts", i.hosts],
              ["Users", i.users],
              ["Consumer names", i.consumers],
              ["Filter names", i.filters],
              ["File hashes", i.hashes],
              ["Commands", i.commands],
            ] as const
          ).map(([label, values]) => (
            <div key={label} className="contents">
              <dt className="font-medium">{label}</dt>
              <dd className="flex flex-wrap gap-1">
                {values.length ? values.map((v) => <V key={v} value={v} wrap />) : "none in the events"}
              </dd>
            </div>
          ))}
        </dl>
        {i.payloads.map((p) => (
          <div key={p.source} className="text-sm">
            <p>
              {p.kind === "powershell-encoded" ? "PowerShell -EncodedCommand" : "Base64"}{" "}
              <V value={p.source.length > 80 ? `${p.source.slice(0, 80)}…` : p.source} wrap /> decodes to:
            </p>
            <pre className="literal rounded bg-slate-100 p-2 text-xs whitespace-pre-wrap">{p.decoded}</pre>
          </div>
        ))}
      </Section>

      <Section title="MITRE ATT&CK">
        <Table
          head={["Tactic", "Technique", "Sub-technique"]}
          rows={r.mitre.map((m) => [m.tactic, m.technique, m.subtechnique ?? "—"])}
        />
      </Section>

      <Section title={`Alerts and verdicts (${r.alerts.length})`}>
        <Table
          testId="report-alerts"
          head={["Event time", "Host", "User", "Consumer", "Status", "Verdict", "Verdict note", "Assignee"]}
          rows={r.alerts.map((a) => [
            formatTime(a.evidence.eventTimestamp),
            <V key="h" value={a.evidence.hostName} />,
            <V key="u" value={a.evidence.userName} />,
            <V key="c" value={a.evidence.consumerName} />,
            alertStatusLabel(a.status),
            a.verdict ? verdictLabel(a.verdict) : "—",
            <V key="n" value={a.verdictNote} wrap />,
            a.assignee ?? "—",
          ])}
        />
      </Section>

      <Section title="Description">{c.description ? <Markdown text={c.description} /> : <p>—</p>}</Section>

      <Section title="Comments">
        {comments.length === 0 && <p>—</p>}
        {comments.map((cm, n) => (
          <div key={n} className="space-y-1 border-l-2 border-slate-300 pl-3">
            <p className="text-xs text-slate-600">
              <span className="literal">{cm.author ?? "unknown"}</span> on {cm.on}, {formatTime(cm.at)}
            </p>
            <Markdown text={cm.body} />
          </div>
        ))}
      </Section>

      <Section title="Appendix A: investigation steps">
        {r.alerts.map((a) => (
          <div key={a.id} className="space-y-1">
            <h3 className="text-sm font-semibold">
              <V value={a.evidence.hostName} /> · <V value={a.evidence.consumerName} /> ·{" "}
              {formatTime(a.evidence.eventTimestamp)}
            </h3>
            <Table
              head={["Section", "Step", "Done", "Answer", "Note", "By"]}
              rows={a.steps.map((st) => [
                st.section,
                st.label,
                st.done ? "Yes" : "No",
                st.answer ? stepAnswerLabel(st.answer) : "—",
                <span key="n" className="literal whitespace-pre-wrap">
                  {st.note ?? "—"}
                </span>,
                st.updatedBy ?? "—",
              ])}
            />
          </div>
        ))}
      </Section>

      <Section title="Appendix B: audit trail">
        <Table
          head={["At", "Who", "What", "On"]}
          rows={r.timeline.map((t) => [
            <span key="t" className="whitespace-nowrap">
              {formatTime(t.at)}
            </span>,
            t.actor,
            auditActionLabel(t.action),
            <V key="e" value={`${t.entityType} ${t.entityId}`} />,
          ])}
        />
      </Section>
    </article>
  );
}
