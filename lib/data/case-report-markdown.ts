import type { CaseReport } from "@/lib/data/case-report";
import {
  auditActionLabel,
  caseStatusLabel,
  alertStatusLabel,
  severityLabel,
  stepAnswerLabel,
  verdictLabel,
} from "@/lib/format/labels";
import { formatTime } from "@/lib/format/time";
import { inertBlock, inertCode } from "@/lib/markdown/inert";

/**
 * The case report as Markdown for its reader (management, incident response): summary first,
 * then the attack as the events tell it, indicators, MITRE, verdicts, description and comments;
 * the guide's step table and the audit trail in appendices. The app's own words (labels, headings)
 * are plain; every value that came from events or people goes through lib/markdown/inert.ts, so a
 * consumer name, command line or comment cannot become markup in whatever renders the file.
 */

const code = (value: string | number | null | undefined) => inertCode(value);
const cell = (value: string | number | null | undefined) => inertCode(value, { table: true });
const block = (text: string) => inertBlock(text);
const list = (values: string[]) => (values.length ? values.map((v) => code(v)).join(", ") : "none in the events");

function table(out: string[], head: string[], rows: string[][]) {
  out.push(`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`);
  for (const row of rows) out.push(`| ${row.join(" | ")} |`);
  out.push("");
}

export function renderCaseReportMarkdown(r: CaseReport): string {
  const c = r.case;
  const s = r.summary;
  const out: string[] = [];
  out.push(`# Case #${c.number}: ${code(c.title)}`, "");
  out.push(
    `${r.rule.name} (rule version ${r.rule.version}) · report generated ${formatTime(r.generatedAt)} by ${code(r.generatedBy)}`,
    "",
  );

  out.push("## Summary", "");
  table(
    out,
    ["", ""],
    [
      ["What", `${cell(c.title)}: ${r.alerts.length} alert${r.alerts.length === 1 ? "" : "s"} of ${r.rule.name}`],
      ["Where", s.where.length ? s.where.map((h) => cell(h)).join(", ") : "—"],
      ["When", s.firstEvent ? `${formatTime(s.firstEvent)} – ${formatTime(s.lastEvent)}` : "—"],
      ["Verdict", s.verdict ? verdictLabel(s.verdict) : "not decided (the case is not closed)"],
      ["Status", `${caseStatusLabel(c.status)} · severity ${severityLabel(c.severity)}`],
      ["Assignee", cell(c.assignee)],
      ["Closed by", s.closedBy ? `${cell(s.closedBy)} at ${formatTime(s.closedAt)}` : "—"],
      ["Closing note", cell(s.closingNote)],
      ["Tags", c.tags.length ? c.tags.map((t) => cell(t)).join(", ") : "—"],
    ],
  );

  out.push("## Attack timeline", "");
  if (r.attackTimeline.length === 0)
    out.push("No filter, consumer, binding or consumer-execution events are stored for these alerts.", "");
  else
    table(
      out,
      ["Time", "Host", "What", "Operation", "User", "Detail"],
      r.attackTimeline.map((t) => [
        formatTime(t.time),
        cell(t.host),
        t.what,
        cell(t.operation),
        cell(t.user),
        cell(t.detail),
      ]),
    );

  const i = r.indicators;
  out.push("## Indicators", "");
  out.push(`- Hosts: ${list(i.hosts)}`);
  out.push(`- Users: ${list(i.users)}`);
  out.push(`- Consumer names: ${list(i.consumers)}`);
  out.push(`- Filter names: ${list(i.filters)}`);
  out.push(`- File hashes: ${list(i.hashes)}`);
  out.push(`- Commands:${i.commands.length ? "" : " none in the events"}`);
  for (const cmd of i.commands) out.push(`  - ${code(cmd)}`);
  out.push("");
  if (i.payloads.length) {
    out.push("### Decoded payloads", "");
    for (const p of i.payloads)
      out.push(
        `${p.kind === "powershell-encoded" ? "PowerShell -EncodedCommand" : "Base64"} ${code(p.source.length > 80 ? `${p.source.slice(0, 80)}…` : p.source)} decodes to:`,
        "",
        block(p.decoded),
        "",
      );
  }

  out.push("## MITRE ATT&CK", "");
  table(
    out,
    ["Tactic", "Technique", "Sub-technique"],
    r.mitre.map((m) => [m.tactic, m.technique, m.subtechnique ?? "—"]),
  );

  out.push(`## Alerts and verdicts (${r.alerts.length})`, "");
  table(
    out,
    ["Event time", "Host", "User", "Consumer", "Status", "Verdict", "Verdict note", "Assignee", "Alert id"],
    r.alerts.map((a) => [
      formatTime(a.evidence.eventTimestamp),
      cell(a.evidence.hostName),
      cell(a.evidence.userName),
      cell(a.evidence.consumerName),
      alertStatusLabel(a.status),
      a.verdict ? verdictLabel(a.verdict) : "—",
      cell(a.verdictNote),
      cell(a.assignee),
      cell(a.id),
    ]),
  );

  out.push("## Description", "", c.description ? block(c.description) : "—", "");
  out.push("## Comments", "");
  const comments = [
    ...r.comments.map((cm) => ({ ...cm, on: "the case" })),
    ...r.alerts.flatMap((a) => a.comments.map((cm) => ({ ...cm, on: `the alert on ${a.evidence.hostName ?? "?"}` }))),
  ].sort((a, b) => a.at.localeCompare(b.at));
  if (comments.length === 0) out.push("—", "");
  for (const cm of comments)
    out.push(`${code(cm.author)} on ${code(cm.on)}, ${formatTime(cm.at)}:`, "", block(cm.body), "");

  out.push("## Appendix A: investigation steps", "");
  for (const a of r.alerts) {
    out.push(`### Alert ${code(a.id)}`, "");
    out.push(
      `${code(a.evidence.hostName)} · ${code(a.evidence.consumerName)} · ${formatTime(a.evidence.eventTimestamp)}`,
      "",
    );
    table(
      out,
      ["Section", "Step", "Done", "Answer", "Note", "By"],
      a.steps.map((st) => [
        st.section,
        st.label.replace(/\|/g, "\\|"),
        st.done ? "Yes" : "No",
        st.answer ? stepAnswerLabel(st.answer) : "—",
        cell(st.note),
        cell(st.updatedBy),
      ]),
    );
  }

  out.push("## Appendix B: audit trail", "");
  table(
    out,
    ["At", "Who", "What", "On", "Change"],
    r.timeline.map((t) => {
      const change = [
        t.before ? `before ${JSON.stringify(t.before)}` : "",
        t.after ? `after ${JSON.stringify(t.after)}` : "",
      ]
        .filter(Boolean)
        .join(" → ");
      return [
        formatTime(t.at),
        cell(t.actor),
        auditActionLabel(t.action),
        cell(`${t.entityType} ${t.entityId}`),
        cell(change),
      ];
    }),
  );
  return `${out.join("\n").trimEnd()}\n`;
}
