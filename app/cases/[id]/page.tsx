import Link from "next/link";
import { notFound } from "next/navigation";
import { CaseControls, CommentForm, DetachAlertButton } from "@/components/cases/case-forms";
import { Markdown } from "@/components/cases/markdown";
import { HuntEvidence } from "@/components/hunt/hunt-evidence";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { canCloseCase, getCase } from "@/lib/data/cases";
import { listHuntPins } from "@/lib/data/hunts";
import { listAssignableUsers } from "@/lib/data/users";
import { DataTable } from "@/components/ui/data-table";
import { alertRefColumns } from "@/components/alert/alert-ref-columns";
import { Time } from "@/components/ui/time";
import {
  alertStatusLabel,
  auditActionLabel,
  caseStatusLabel,
  severityLabel,
  stepLabel,
  verdictLabel,
} from "@/lib/format/labels";
import { TruncatedText } from "@/components/ui/truncated-text";

export const dynamic = "force-dynamic";

export default async function CasePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser("cases:read");
  const { id } = await params;
  const c = await getCase(user, id);
  if (!c) notFound();
  const canWrite = can(user.role, "cases:write");
  const [assignees, pins] = await Promise.all([
    canWrite ? listAssignableUsers() : [],
    listHuntPins(user, { caseId: c.id }),
  ]);
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">
            Case #{c.number}: {c.title}
          </h1>
          <p className="text-sm text-slate-600" data-testid="case-summary">
            <span className="font-medium">{caseStatusLabel(c.status)}</span>
            {c.resolution && ` (${verdictLabel(c.resolution)})`} · severity {severityLabel(c.severity)} · assignee{" "}
            {c.assigneeName ?? "none"} · opened <Time value={c.createdAt} /> by {c.createdByName ?? "—"}
            {c.closedAt && (
              <>
                {" "}
                · closed <Time value={c.closedAt} />
              </>
            )}
          </p>
          <div className="mt-1 flex gap-1">
            {c.tags.map((t) => (
              <span key={t} className="rounded bg-slate-200 px-1.5 py-0.5 text-xs">
                {t}
              </span>
            ))}
          </div>
        </div>
        <div className="flex gap-2 text-sm">
          <Link href={`/cases/${c.id}/report`} className="rounded border border-slate-300 bg-white px-2 py-1">
            Report (printable)
          </Link>
          <a href={`/cases/${c.id}/export?format=md`} className="rounded border border-slate-300 bg-white px-2 py-1">
            Export Markdown
          </a>
          <a href={`/cases/${c.id}/export?format=json`} className="rounded border border-slate-300 bg-white px-2 py-1">
            Export JSON
          </a>
        </div>
      </div>

      <CaseControls
        id={c.id}
        updatedAt={c.updatedAt.toISOString()}
        title={c.title}
        description={c.description}
        severity={c.severity}
        status={c.status}
        tags={c.tags}
        assigneeId={c.assigneeId}
        canWrite={canWrite}
        canClose={canCloseCase(user, c)}
        canAssignOthers={can(user.role, "alerts:assign")}
        meId={user.id}
        assignees={assignees}
      />

      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 font-medium">Description</h2>
        {c.description ? <Markdown text={c.description} /> : <p className="text-sm text-slate-600">No description.</p>}
      </section>

      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 font-medium">Alerts ({c.alerts.length})</h2>
        <DataTable
          framed={false}
          rows={c.alerts}
          rowTestId="case-alert"
          empty="No alerts yet: add them from the alerts table."
          columns={[
            ...alertRefColumns<(typeof c.alerts)[number]>(),
            {
              header: "Consumer",
              cell: (a) => (
                <>
                  <TruncatedText value={a.consumerName} max={40} label="consumer name" />{" "}
                  <span className="text-xs text-slate-600">{a.consumerType}</span>
                </>
              ),
            },
            {
              header: "Status",
              cell: (a) => `${alertStatusLabel(a.status)}${a.closeReason ? ` (${verdictLabel(a.closeReason)})` : ""}`,
            },
            { header: "Verdict", cell: (a) => verdictLabel(a.verdict) },
            {
              header: "Progress",
              title: (a) =>
                a.mandatoryMissing.length
                  ? `mandatory steps missing: ${a.mandatoryMissing.map(stepLabel).join(", ")}`
                  : "mandatory steps done",
              cell: (a) => (
                <>
                  {a.stepsDone}/{a.stepsTotal} steps
                  {a.mandatoryMissing.length > 0 && (
                    <span className="ml-1 text-xs text-amber-700">({a.mandatoryMissing.length} mandatory left)</span>
                  )}
                </>
              ),
            },
            { header: "Assignee", cell: (a) => a.assigneeName ?? "—" },
            {
              header: "",
              cell: (a) => canWrite && c.status !== "closed" && <DetachAlertButton caseId={c.id} alertId={a.id} />,
            },
          ]}
        />
      </section>

      <HuntEvidence pins={pins} />

      <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-medium">Comments</h2>
        {c.comments.map((cm) => (
          <article key={cm.id} className="rounded border border-slate-100 p-3" data-testid="case-comment">
            <p className="mb-1 text-xs text-slate-600">
              {cm.authorName} · <Time value={cm.createdAt} relative />
            </p>
            <Markdown text={cm.body} />
          </article>
        ))}
        {canWrite && <CommentForm caseId={c.id} />}
      </section>

      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 font-medium">Timeline</h2>
        <ol className="space-y-1 text-sm">
          {c.timeline.map((t) => (
            <li key={t.id} className="flex gap-3">
              <span className="w-40 shrink-0 text-slate-600">
                <Time value={t.at} />
              </span>
              <span className="w-32 shrink-0">{t.actorName}</span>
              <span className="w-40 shrink-0" title={t.action}>
                {auditActionLabel(t.action)}
              </span>
              <span className="literal text-xs text-slate-600">
                {t.entityType === "alert" ? `alert ${t.entityId.slice(0, 8)} ` : ""}
                {t.after ? JSON.stringify(t.after) : ""}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
