import Link from "next/link";
import { ExceptionForm } from "@/components/exceptions/exception-form";
import { requirePageUser } from "@/lib/auth/session";
import { getExceptionDraft } from "@/lib/data/exception-draft";

export const dynamic = "force-dynamic";

export default async function NewExceptionPage({
  searchParams,
}: {
  searchParams: Promise<{ alert?: string; fp?: string }>;
}) {
  const user = await requirePageUser("exceptions:write");
  const { alert, fp } = await searchParams;
  const draft = await getExceptionDraft(user, { alertId: alert, fpStepId: fp });
  const selected = draft.suggestions.filter((s) => s.selected);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">New exception</h1>
      {draft.alert && (
        <p className="text-sm text-slate-600">
          From alert{" "}
          <Link className="text-blue-700 hover:underline" href={`/alerts/${draft.alert.id}`}>
            {draft.alert.id.slice(0, 10)}
          </Link>{" "}
          on <span className="literal">{draft.alert.hostName ?? "unknown host"}</span>
          {draft.alert.consumerName && (
            <>
              , consumer <span className="literal">{draft.alert.consumerName}</span>
            </>
          )}
          . The conditions below are pre-filled from its event: narrow them until the what-if hides only what you mean
          to.
        </p>
      )}
      {draft.fp && (
        <p className="rounded border border-slate-200 bg-white p-3 text-sm">
          <span className="font-medium">False-positive check: {draft.fp.label}.</span>{" "}
          <span className="text-slate-600">{draft.fp.text}</span>
        </p>
      )}
      {draft.missing.map((m) => (
        <p key={m} className="text-sm text-amber-800">
          {m}
        </p>
      ))}
      <ExceptionForm
        mode="create"
        initial={{
          name: draft.name,
          comment: draft.comment,
          expiresAt: null,
          enabled: true,
          conditions: selected.map((s) => s.condition),
        }}
        hints={Object.fromEntries(selected.map((s, i) => [i, s.hint]))}
        suggestions={draft.suggestions
          .filter((s) => !s.selected)
          .map((s) => ({ condition: s.condition, hint: s.hint }))}
      />
    </div>
  );
}
