"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { exportExceptionsAction, importExceptionsAction } from "@/lib/actions/exception-actions";
import type { ImportSummary } from "@/lib/data/exception-transfer";
import type { CaseWarning } from "@/lib/exceptions/kibana";
import { Button } from "@/components/ui/button";

/** Kibana exception-list NDJSON in and out. */
export function ImportExportPanel({ canWrite }: { canWrite: boolean }) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [caseWarnings, setCaseWarnings] = useState<CaseWarning[] | null>(null);
  const [pending, start] = useTransition();

  const doImport = (data: FormData) =>
    start(async () => {
      setError(null);
      setSummary(null);
      const res = await importExceptionsAction(data);
      if (!res.ok) setError(res.error.message);
      else {
        setSummary(res.summary);
        form.current?.reset();
        router.refresh();
      }
    });

  const doExport = () =>
    start(async () => {
      setError(null);
      setCaseWarnings(null);
      const res = await exportExceptionsAction();
      if (!res.ok) {
        setError(res.error.message);
        return;
      }
      setCaseWarnings(res.warnings);
      const url = URL.createObjectURL(new Blob([res.text], { type: "application/x-ndjson" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = res.fileName;
      a.click();
      URL.revokeObjectURL(url);
    });

  const unchanged = summary?.updated.filter((u) => !u.changed).length ?? 0;
  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="font-medium">Kibana exception lists</h2>
      <div className="flex flex-wrap items-center gap-4">
        <Button
          type="button"

          disabled={pending}
          onClick={doExport}
        >
          Export (Kibana NDJSON)
        </Button>
        {canWrite && (
          <form ref={form} action={doImport} className="flex items-center gap-2 text-sm">
            <label>
              Import a Kibana export:{" "}
              <input
                type="file"
                name="file"
                accept=".ndjson,.json,application/x-ndjson"
                aria-label="Kibana export file"
                required
              />
            </label>
            <Button type="submit" variant="primary" disabled={pending}>
              {pending ? "Importing…" : "Import"}
            </Button>
          </form>
        )}
      </div>
      <p className="text-xs text-slate-600">
        Items are matched by <code>item_id</code> (re-importing updates them). <code>list</code> and <code>nested</code>{" "}
        entries cannot be evaluated here and are rejected; the other items are kept. Kibana matches case-sensitively:
        imported conditions are case-sensitive, and the export names the items whose conditions are not.
      </p>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      {caseWarnings && caseWarnings.length > 0 && (
        <div
          role="alert"
          className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900"
          data-testid="export-case-warning"
        >
          <p>
            Exported. Kibana matches <code>match</code>, <code>match_any</code> and <code>wildcard</code> entries
            case-sensitively on keyword fields, so {caseWarnings.length === 1 ? "this item" : "these items"} will
            suppress only the exact casing written there:
          </p>
          <ul className="list-disc pl-5">
            {caseWarnings.map((w) => (
              <li key={w.itemId}>
                <span className="literal">{w.name}</span> <span className="literal text-slate-600">({w.itemId})</span>:
                case-insensitive on <span className="literal">{w.fields.join(", ")}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {summary && (
        <div className="text-sm" data-testid="import-summary">
          <p>
            Imported
            {summary.listName ? (
              <>
                {" "}
                from <span className="literal">{summary.listName}</span>
              </>
            ) : null}
            : {summary.created.length} new, {summary.updated.length} updated, {summary.errors.length} rejected.
            {unchanged > 0 && ` ${unchanged} of the updated already said exactly this: left unchanged.`}
          </p>
          <ul className="list-disc pl-5">
            {[...summary.created, ...summary.updated].map((i) => (
              <li key={i.id}>
                <Link className="text-blue-700 hover:underline" href={`/exceptions/${i.id}`}>
                  <span className="literal">{i.name}</span>
                </Link>{" "}
                <span className="literal text-slate-600">({i.itemId})</span>
              </li>
            ))}
          </ul>
          {summary.errors.length > 0 && (
            <ul className="mt-2 space-y-1 text-red-800">
              {summary.errors.map((e, i) => (
                <li key={i} className="literal">
                  line {e.line}
                  {e.itemId ? ` (${e.itemId})` : ""}: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
