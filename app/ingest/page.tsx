import Link from "next/link";
import { runStatusLabel } from "@/lib/format/labels";
import { listIngestJobs } from "@/lib/data/ingest-jobs";
import { requirePageUser } from "@/lib/auth/session";
import { Time } from "@/components/ui/time";
import { DataTable } from "@/components/ui/data-table";

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
      <DataTable
        rows={jobs}
        empty="No ingests yet."
        columns={[
          { header: "Started", className: "whitespace-nowrap", cell: (j) => <Time value={j.startedAt} relative /> },
          {
            header: "File",
            cell: (j) => (
              <Link className="text-blue-700 hover:underline" href={`/ingest/${j.id}`}>
                {j.fileName}
              </Link>
            ),
          },
          { header: "Source", cell: (j) => j.source },
          { header: "Uploaded by", testId: "job-uploader", cell: (j) => j.uploadedBy ?? "—" },
          { header: "Format", cell: (j) => j.format ?? "—" },
          {
            header: "Status",
            className: (j) => (j.status === "failed" ? "text-red-700" : ""),
            cell: (j) => runStatusLabel(j.status),
          },
          { header: "Received", cell: (j) => j.received },
          { header: "Stored", cell: (j) => j.stored },
          { header: "Duplicates", cell: (j) => j.duplicates },
          { header: "Rejected", cell: (j) => j.rejected },
          { header: "Alerts", cell: (j) => j.alerts },
          {
            header: "Duration",
            cell: (j) => (j.durationMs === null ? "running" : `${(j.durationMs / 1000).toFixed(1)} s`),
          },
        ]}
      />
    </div>
  );
}
