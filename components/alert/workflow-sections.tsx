import Link from "next/link";
import type { AlertDetail } from "@/lib/data/alert-detail";
import type { EvidenceItem } from "@/lib/triage/investigation-evidence";
import { AllowlistForm } from "./allowlist-form";
import { CopyButton } from "@/components/ui/copy-button";
import { formatTime } from "./format";
import { GuideStepCard } from "./guide-step-card";
import { VerdictForm } from "./verdict-form";

const EVIDENCE_SHOWN = 10;

function EvidenceRows({ items }: { items: EvidenceItem[] }) {
  return (
    <>
      {items.map((item, i) => (
        <div key={i} className="grid grid-cols-1 gap-x-2 py-0.5 sm:grid-cols-[12rem_minmax(0,1fr)]">
          <dt className="text-slate-600">
            {item.label}
            <div className="text-[10px] text-slate-600">{item.field}</div>
            {item.tags?.map((t) => (
              <span
                key={t}
                data-testid="evidence-tag"
                className="mr-1 inline-block rounded bg-amber-100 px-1.5 text-[11px] font-medium text-amber-900"
              >
                {t}
              </span>
            ))}
          </dt>
          <dd>
            {item.value === null ? (
              <span className="wrap-anywhere text-amber-800">{item.missing ?? "not in the data"}</span>
            ) : (
              <span className="literal">{item.value}</span>
            )}
          </dd>
        </div>
      ))}
    </>
  );
}

/** A step's evidence; long lists (every process around the alert) fold after the first few. */
function EvidenceList({ items }: { items: EvidenceItem[] }) {
  const rest = items.slice(EVIDENCE_SHOWN);
  return (
    <dl className="rounded bg-slate-50 p-2 text-sm">
      <EvidenceRows items={items.slice(0, EVIDENCE_SHOWN)} />
      {rest.length > 0 && (
        <details>
          <summary className="cursor-pointer text-slate-600">{rest.length} more</summary>
          <EvidenceRows items={rest} />
        </details>
      )}
    </dl>
  );
}

function Progress({ done, total, label }: { done: number; total: number; label: string }) {
  const pct = total === 0 ? 0 : Math.round((done / total) * 100);
  return (
    <div className="flex items-center gap-3 text-sm">
      <div
        className="h-2 w-48 overflow-hidden rounded bg-slate-200"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
      >
        <div className="h-full bg-emerald-500" style={{ width: `${pct}%` }} />
      </div>
      <span data-testid={`${label.toLowerCase().replace(/\s+/g, "-")}-progress`}>
        {done} of {total} done
      </span>
    </div>
  );
}

/** Trainers' tips for one step (text only: a tip is user-written). */
function StepTips({ detail, stepId }: { detail: AlertDetail; stepId: string }) {
  const tips = detail.guideTips.filter((t) => t.stepId === stepId);
  if (tips.length === 0) return null;
  return (
    <ul
      data-testid={`tips-${stepId}`}
      className="mt-2 space-y-1 rounded border border-amber-200 bg-amber-50 p-2 text-sm"
    >
      {tips.map((t) => (
        <li key={t.id} className="whitespace-pre-wrap">
          <span className="font-medium text-amber-900">Tip{t.authorName ? ` from ${t.authorName}` : ""}: </span>
          {t.text}
        </li>
      ))}
    </ul>
  );
}

export function InvestigationSection({ detail }: { detail: AlertDetail }) {
  const steps = detail.investigation;
  const done = steps.filter((s) => s.state?.done).length;
  return (
    <section id="investigation" aria-labelledby="investigation-h" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="investigation-h" className="text-lg font-semibold">
          Investigation steps
        </h2>
        <Progress done={done} total={steps.length} label="Investigation" />
      </div>
      {steps.map((s) => (
        <GuideStepCard
          key={`${s.id}:${s.state?.updatedAt.toISOString() ?? "new"}`}
          stepId={s.id}
          label={s.label}
          text={s.text}
          mandatory={s.mandatory}
          notApplicable={s.notApplicable}
          state={s.state}
          canEdit={detail.permissions.triage}
        >
          <EvidenceList items={s.evidence} />
          <StepTips detail={detail} stepId={s.id} />
        </GuideStepCard>
      ))}
    </section>
  );
}

const CHECK_CLASS = {
  pass: "bg-emerald-100 text-emerald-800",
  fail: "bg-red-100 text-red-800",
  unknown: "bg-slate-100 text-slate-700",
} as const;
const CHECK_TEXT = {
  pass: "data suggests benign",
  fail: "data contradicts benign",
  unknown: "data cannot tell",
} as const;

export function FalsePositiveSection({ detail }: { detail: AlertDetail }) {
  const items = detail.falsePositives;
  const answered = items.filter((s) => s.state?.answer).length;
  return (
    <section id="false-positives" aria-labelledby="fp-h" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="fp-h" className="text-lg font-semibold">
          False-positive analysis
        </h2>
        <span className="text-sm text-slate-600">
          {answered} of {items.length} answered
        </span>
      </div>
      {items.map((s) => (
        <GuideStepCard
          key={`${s.id}:${s.state?.updatedAt.toISOString() ?? "new"}`}
          stepId={s.id}
          label={s.label}
          text={s.text}
          mandatory={s.mandatory}
          notApplicable={s.notApplicable}
          state={s.state}
          withAnswer
          canEdit={detail.permissions.triage}
          badge={
            s.check && (
              <span
                data-testid={`check-${s.id}`}
                className={`rounded px-2 py-0.5 text-xs font-medium ${CHECK_CLASS[s.check.status]}`}
              >
                {s.check.status}: {CHECK_TEXT[s.check.status]}
              </span>
            )
          }
        >
          {s.check && (
            <div className="rounded bg-slate-50 p-2 text-sm">
              <ul className="list-disc space-y-0.5 pl-4">
                {s.check.evidence.map((e, i) => (
                  <li key={i} className="literal">
                    {e}
                  </li>
                ))}
              </ul>
              <p className="mt-1 text-xs wrap-anywhere text-slate-600" data-testid={`check-scope-${s.id}`}>
                {s.check.scope}
              </p>
            </div>
          )}
          <StepTips detail={detail} stepId={s.id} />
          {detail.permissions.settings && (
            <Link
              href={`/exceptions/new?alert=${encodeURIComponent(detail.alert.id)}&fp=${encodeURIComponent(s.id)}`}
              className="mt-2 inline-block text-sm text-blue-700 hover:underline"
            >
              Create a rule exception for this…
            </Link>
          )}
        </GuideStepCard>
      ))}
      <details className="rounded-lg border border-slate-200 bg-white p-4">
        <summary className="cursor-pointer text-sm font-medium">
          Allowlist used by these checks ({detail.allowlist.entries.length} entries
          {detail.allowlist.isDefault
            ? ", default"
            : `, edited by ${detail.allowlist.updatedByName ?? "someone"} at ${formatTime(detail.allowlist.updatedAt)}`}
          )
        </summary>
        {detail.permissions.settings ? (
          <div className="mt-2">
            <p className="mb-2 text-xs text-slate-600">
              JSON array of entries: {"{"} category: admin | management | security, processName?, processPath?,
              consumerName?, note? {"}"}
            </p>
            <AllowlistForm
              alertId={detail.alert.id}
              json={JSON.stringify(detail.allowlist.entries, null, 2)}
              updatedAt={detail.allowlist.updatedAt?.toISOString() ?? null}
            />
          </div>
        ) : (
          <ul className="mt-2 space-y-0.5 text-sm">
            {detail.allowlist.entries.map((e, i) => (
              <li key={i}>
                <span className="text-slate-600">{e.category}</span>{" "}
                <span className="literal">{e.processName ?? e.processPath ?? e.consumerName}</span>
                {e.note && <span className="text-slate-600"> — {e.note}</span>}
              </li>
            ))}
          </ul>
        )}
      </details>
    </section>
  );
}

export function VerdictSection({ detail }: { detail: AlertDetail }) {
  const all = [...detail.investigation, ...detail.falsePositives, ...detail.response];
  const missing = all.filter((s) => s.mandatory && !s.state?.done).map((s) => s.label);
  return (
    <section id="verdict" aria-labelledby="verdict-h" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="verdict-h" className="mb-2 text-lg font-semibold">
        Verdict
      </h2>
      {detail.alert.status === "closed" ? (
        <p className="text-sm">
          Closed by {detail.alert.statusChangedByName ?? "someone"} at {formatTime(detail.alert.statusChangedAt)}.
          Reopen the alert (top of the page) to change the verdict.
        </p>
      ) : detail.permissions.triage ? (
        <VerdictForm missingMandatory={missing} />
      ) : (
        <p className="text-sm text-slate-600">Your role cannot close alerts.</p>
      )}
    </section>
  );
}

export function ResponseSection({ detail }: { detail: AlertDetail }) {
  const steps = detail.response;
  const done = steps.filter((s) => s.state?.done).length;
  const r = detail.remediation;
  return (
    <section id="response" aria-labelledby="response-h" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="response-h" className="text-lg font-semibold">
          Response and remediation
        </h2>
        <Progress done={done} total={steps.length} label="Response" />
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 className="font-medium">Remove this subscription (PowerShell, run as administrator on the host)</h3>
        {detail.life.removalLooksDone && (
          <p className="mt-1 rounded bg-emerald-50 p-2 text-sm text-emerald-900" data-testid="removal-done">
            Removal looks already done: {detail.life.state}. Run the verify script on the host to confirm.
          </p>
        )}
        {r ? (
          <div className="mt-2 space-y-3">
            {r.warnings.length > 0 && (
              <ul className="list-disc pl-5 text-sm text-amber-800">
                {r.warnings.map((w, i) => (
                  <li key={i} className="literal">
                    {w}
                  </li>
                ))}
              </ul>
            )}
            {r.leaves.length > 0 && (
              <div className="text-sm" data-testid="remediation-leaves">
                <p className="text-slate-700">What the scripts leave, and why:</p>
                <ul className="list-disc pl-5 text-slate-600">
                  {r.leaves.map((l, i) => (
                    <li key={i} className="literal">
                      {l}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {(
              [
                ["Remove (WMI cmdlets, Windows PowerShell 5.1)", r.wmi],
                ["Remove (CIM cmdlets, PowerShell 7 and 5.1)", r.cim],
                ["Verify nothing is left (read-only)", r.verify],
              ] as const
            ).map(([title, script]) => (
              <div key={title}>
                <div className="flex items-center justify-between">
                  <span className="text-sm text-slate-700">{title}</span>
                  <CopyButton text={script} />
                </div>
                <pre
                  tabIndex={0}
                  className="literal mt-1 max-h-72 overflow-auto rounded bg-slate-900 p-2 text-xs text-slate-100"
                >
                  {script}
                </pre>
              </div>
            ))}
          </div>
        ) : (
          <p className="text-sm text-slate-600">
            The consumer&apos;s name is unknown, so no removal script can be generated.
          </p>
        )}
      </div>
      {steps.map((s) => (
        <GuideStepCard
          key={`${s.id}:${s.state?.updatedAt.toISOString() ?? "new"}`}
          stepId={s.id}
          label={s.label}
          text={s.text}
          mandatory={s.mandatory}
          notApplicable={s.notApplicable}
          state={s.state}
          canEdit={detail.permissions.triage}
        >
          {detail.guideTips.some((t) => t.stepId === s.id) ? <StepTips detail={detail} stepId={s.id} /> : null}
        </GuideStepCard>
      ))}
    </section>
  );
}
