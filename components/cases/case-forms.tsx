"use client";

import { ActionOutcome } from "@/components/ui/action-outcome";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  addCaseCommentAction,
  assignCasesAction,
  closeCaseAction,
  createCaseAction,
  detachAlertFromCaseAction,
  reopenCaseAction,
  updateCaseAction,
  type CaseActionResult,
} from "@/lib/actions/case-actions";
import { CASE_RESOLUTIONS, CASE_SEVERITIES } from "@/lib/cases/case-fields";
import { caseStatusLabel, severityLabel, verdictLabel } from "@/lib/format/labels";
import { ActionButton } from "@/components/ui/action-button";
import { Button } from "@/components/ui/button";
import { keepInputOnSubmit } from "@/components/ui/form-submit";
import { inputClass } from "@/components/ui/field";

const SEVERITIES = CASE_SEVERITIES;
const RESOLUTIONS = CASE_RESOLUTIONS.map((r) => [r, verdictLabel(r)] as const);

type Result = CaseActionResult | { ok: false; error: { message: string } } | null;

export function NewCaseForm() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [result, setResult] = useState<Result>(null);
  return (
    <form
      className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-4"
      {...keepInputOnSubmit((form) =>
        start(async () => {
          const r = await createCaseAction({
            title: String(form.get("title") ?? ""),
            severity: String(form.get("severity") ?? "medium") as (typeof SEVERITIES)[number],
            tags: String(form.get("tags") ?? "")
              .split(",")
              .map((t) => t.trim())
              .filter(Boolean),
            description: String(form.get("description") ?? ""),
          });
          if (r.ok) router.push(`/cases/${r.caseId}`);
          else setResult(r);
        }),
      )}
    >
      <label className="text-sm md:col-span-2">
        Title
        <input name="title" required maxLength={200} className={`mt-1 w-full ${inputClass}`} />
      </label>
      <label className="text-sm">
        Severity
        <select name="severity" defaultValue="medium" className={`mt-1 w-full ${inputClass}`}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {severityLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        Tags (comma-separated)
        <input name="tags" className={`mt-1 w-full ${inputClass}`} />
      </label>
      <label className="text-sm md:col-span-4">
        Description (Markdown)
        <textarea name="description" rows={2} className={`mt-1 w-full ${inputClass}`} />
      </label>
      <div className="flex items-center gap-3 md:col-span-4">
        <Button type="submit" disabled={pending} variant="primary">
          New case
        </Button>
        <ActionOutcome result={result} />
      </div>
    </form>
  );
}

export interface CaseEditProps {
  id: string;
  updatedAt: string;
  title: string;
  description: string;
  severity: string;
  status: string;
  tags: string[];
  assigneeId: string | null;
  canClose: boolean;
  canAssignOthers: boolean;
  canWrite: boolean;
  meId: string;
  assignees: { id: string; name: string; role: string }[];
}

// The case actions revalidate the case page, so their response already carries the page as it
// is now: no router.refresh() after them (it would render the page a second time).
export function CaseControls(p: CaseEditProps) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<Result>(null);
  const [editing, setEditing] = useState(false);
  const run = (fn: () => Promise<CaseActionResult>) =>
    start(async () => {
      const r = await fn();
      setResult(r);
      if (r.ok) setEditing(false);
    });
  if (!p.canWrite) return null;
  const closed = p.status === "closed";
  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="case-controls">
      <div className="flex flex-wrap items-end gap-3">
        {!closed && (
          <label className="text-sm">
            Status
            <select
              aria-label="Case status"
              value={p.status}
              disabled={pending}
              onChange={(e) =>
                run(() => updateCaseAction(p.id, p.updatedAt, { status: e.target.value as "open" | "in-progress" }))
              }
              className={`ml-2 ${inputClass}`}
            >
              <option value="open">{caseStatusLabel("open")}</option>
              <option value="in-progress">{caseStatusLabel("in-progress")}</option>
            </select>
          </label>
        )}
        <label className="text-sm">
          Assignee
          <select
            aria-label="Case assignee"
            value={p.assigneeId ?? ""}
            disabled={pending}
            onChange={(e) =>
              run(() => assignCasesAction([{ id: p.id, updatedAt: p.updatedAt }], e.target.value || null))
            }
            className={`ml-2 ${inputClass}`}
          >
            <option value="">— unassigned —</option>
            {p.assignees
              .filter((u) => p.canAssignOthers || u.id === p.meId || u.id === p.assigneeId)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.role})
                </option>
              ))}
          </select>
        </label>
        {!closed && (
          <Button type="button" onClick={() => setEditing((x) => !x)}>
            {editing ? "Cancel edit" : "Edit details"}
          </Button>
        )}
      </div>
      {editing && (
        <form
          className="grid grid-cols-1 gap-3 md:grid-cols-3"
          {...keepInputOnSubmit((form) =>
            run(() =>
              updateCaseAction(p.id, p.updatedAt, {
                title: String(form.get("title") ?? ""),
                severity: String(form.get("severity")) as (typeof SEVERITIES)[number],
                tags: String(form.get("tags") ?? "")
                  .split(",")
                  .map((t) => t.trim())
                  .filter(Boolean),
                description: String(form.get("description") ?? ""),
              }),
            ),
          )}
        >
          <label className="text-sm">
            Title
            <input name="title" defaultValue={p.title} required className={`mt-1 w-full ${inputClass}`} />
          </label>
          <label className="text-sm">
            Severity
            <select name="severity" defaultValue={p.severity} className={`mt-1 w-full ${inputClass}`}>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {severityLabel(s)}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            Tags
            <input name="tags" defaultValue={p.tags.join(", ")} className={`mt-1 w-full ${inputClass}`} />
          </label>
          <label className="text-sm md:col-span-3">
            Description (Markdown)
            <textarea
              name="description"
              defaultValue={p.description}
              rows={5}
              className={`mt-1 w-full font-mono ${inputClass}`}
            />
          </label>
          <div>
            <Button type="submit" disabled={pending} variant="primary">
              Save
            </Button>
          </div>
        </form>
      )}
      {p.canClose && !closed && (
        <form
          className="flex flex-wrap items-end gap-3 border-t border-slate-100 pt-3"
          {...keepInputOnSubmit((form) =>
            run(() =>
              closeCaseAction(p.id, p.updatedAt, {
                resolution: String(form.get("resolution") ?? ""),
                note: String(form.get("note") ?? ""),
              }),
            ),
          )}
        >
          <label className="text-sm">
            Resolution
            <select name="resolution" required defaultValue="" className={`ml-2 ${inputClass}`}>
              <option value="" disabled>
                choose…
              </option>
              {RESOLUTIONS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            Note
            <input name="note" maxLength={5000} className={`ml-2 w-72 ${inputClass}`} />
          </label>
          <Button type="submit" disabled={pending} variant="danger">
            Close case and its alerts
          </Button>
        </form>
      )}
      {p.canClose && closed && (
        <Button type="button" disabled={pending} onClick={() => run(() => reopenCaseAction(p.id, p.updatedAt))}>
          Reopen case and its alerts
        </Button>
      )}
      <ActionOutcome result={result} />
    </section>
  );
}

export function CommentForm({ caseId }: { caseId: string }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<Result>(null);
  const [body, setBody] = useState("");
  return (
    <form
      className="space-y-2"
      action={() =>
        start(async () => {
          const r = await addCaseCommentAction(caseId, body);
          setResult(r.ok ? null : r);
          if (r.ok) setBody("");
        })
      }
    >
      <label className="block text-sm">
        Add a comment (Markdown)
        <textarea
          value={body}
          onChange={(e) => setBody(e.target.value)}
          rows={3}
          className={`mt-1 w-full ${inputClass}`}
        />
      </label>
      <Button type="submit" disabled={pending || !body.trim()} variant="primary">
        Comment
      </Button>
      <ActionOutcome result={result} />
    </form>
  );
}

export function DetachAlertButton({ caseId, alertId }: { caseId: string; alertId: string }) {
  return (
    <ActionButton
      run={() => detachAlertFromCaseAction(caseId, alertId)}
      className="text-xs text-slate-600 underline"
      errorClassName="ml-1 text-xs text-red-700"
    >
      Detach
    </ActionButton>
  );
}

export function CaseLink({ id, number, title }: { id: string; number: number; title: string }) {
  return (
    <Link href={`/cases/${id}`} className="text-blue-700 hover:underline">
      #{number} {title}
    </Link>
  );
}
