import Link from "next/link";
import { runStatusLabel } from "@/lib/format/labels";
import { Time } from "@/components/ui/time";
import { notFound } from "next/navigation";
import { getIngestJob } from "@/lib/data/ingest-jobs";
import { requirePageUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function IngestJobPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser("events:read");
  const { id } = await params;
  const job = await getIngestJob(id);
  if (!job) notFound();
  const counts: [string, number][] = [
    ["Received", job.received],
    ["Stored", job.stored],
    ["Duplicates", job.duplicates],
    ["Rejected", job.rejected],
    ["Alerts", job.alerts],
  ];
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">
        Ingest: <span className="literal">{job.fileName}</span>
      </h1>
      <p className="text-sm text-slate-600">
        {job.source}
        {job.uploadedBy && <> · uploaded by {job.uploadedBy}</>} · {job.format ?? "format not detected"} ·{" "}
        {runStatusLabel(job.status)} · {(job.bytes / 1024).toFixed(0)} KiB · started <Time value={job.startedAt} />
        {job.durationMs !== null && ` · ${(job.durationMs / 1000).toFixed(1)} s`}
      </p>
      {job.message && <p className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">{job.message}</p>}
      {job.detection && (
        <p className="text-sm text-slate-700" data-testid="job-detection">
          Rule run (in the worker): {job.detection === "pending" && "pending — queued, not started yet"}
          {job.detection === "running" && "running"}
          {job.detection === "succeeded" && (
            <>
              finished, {job.alerts} alert{job.alerts === 1 ? "" : "s"} created
            </>
          )}
          {job.detection === "disabled" && "not run: the rule is disabled (the events are stored, unchecked)"}
          {job.detection === "failed" && <>failed{job.detectionMessage ? `: ${job.detectionMessage}` : ""}</>}
          {job.detectionFinishedAt && (
            <>
              {" "}
              · <Time value={job.detectionFinishedAt} />
            </>
          )}
        </p>
      )}
      <dl className="grid grid-cols-5 gap-3">
        {counts.map(([label, value]) => (
          <div key={label} className="rounded-lg border border-slate-200 bg-white p-3">
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="text-xl font-semibold">{value}</dd>
          </div>
        ))}
      </dl>
      {job.alerts > 0 && (
        <Link className="text-blue-700 underline" href={`/alerts?job=${job.id}`}>
          Alerts from this ingest
        </Link>
      )}
      {job.errors.length > 0 && (
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-2 font-medium">Rejected records (first {job.errors.length})</h2>
          <ul className="space-y-1 text-xs">
            {job.errors.map((e, i) => (
              <li key={i} className="literal">
                #{e.index}
                {e.line ? ` line ${e.line}` : ""}
                {e.offset !== undefined ? ` offset ${e.offset}` : ""}: {e.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
