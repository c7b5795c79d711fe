import Link from "next/link";
import { runStatusLabel } from "@/lib/format/labels";
import { listIngestJobs } from "@/lib/data/ingest-jobs";
import { requirePageUser } from "@/lib/auth/session";
import { Time } from "@/components/ui/time";

export const dynamic = "force-dynamic";

export default async function IngestJobsPage() {
  await requirePageUser("events:read");
  const jobs = await listIngestJobs();
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Ingest jobs</h1>
        <Link href="/upload" className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
          Upload
        </Link>
      </div>
      <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm">
        <thead className="bg-slate-100 text-left text-slate-600">
          <tr>
            {[
              "Started",
              "File",
              "Source",
              "Uploaded by",
              "Format",
              "Status",
              "Received",
              "Stored",
              "Duplicates",
              "Rejected",
              "Alerts",
              "Duration",
            ].map((h) => (
              <th key={h} className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} className="border-t border-slate-100">
              <td className="px-3 py-2 whitespace-nowrap">
                <Time value={j.startedAt} relative />
              </td>
              <td className="px-3 py-2">
                <Link className="text-blue-700 hover:underline" href={`/ingest/${j.id}`}>
                  {j.fileName}
                </Link>
              </td>
              <td className="px-3 py-2">{j.source}</td>
              <td className="px-3 py-2" data-testid="job-uploader">
                {j.uploadedBy ?? "—"}
              </td>
              <td className="px-3 py-2">{j.format ?? "—"}</td>
              <td className={`px-3 py-2 ${j.status === "failed" ? "text-red-700" : ""}`}>{runStatusLabel(j.status)}</td>
              <td className="px-3 py-2">{j.received}</td>
              <td className="px-3 py-2">{j.stored}</td>
              <td className="px-3 py-2">{j.duplicates}</td>
              <td className="px-3 py-2">{j.rejected}</td>
              <td className="px-3 py-2">{j.alerts}</td>
              <td className="px-3 py-2">
                {j.durationMs === null ? "running" : `${(j.durationMs / 1000).toFixed(1)} s`}
              </td>
            </tr>
          ))}
          {jobs.length === 0 && (
            <tr>
              <td colSpan={12} className="px-3 py-6 text-center text-slate-600">
                No ingests yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
