import { notFound } from "next/navigation";
import { CaseReportView } from "@/components/cases/case-report-view";
import { PrintButton } from "@/components/cases/print-button";
import { requirePageUser } from "@/lib/auth/session";
import { buildCaseReport } from "@/lib/data/case-report";

export const dynamic = "force-dynamic";

export default async function CaseReportPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser("cases:read");
  const { id } = await params;
  const report = await buildCaseReport(user, id);
  if (!report) notFound();
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3 text-sm print:hidden">
        <a href={`/cases/${id}`} className="text-blue-700 hover:underline">
          ← Back to the case
        </a>
        <PrintButton />
        <a href={`/cases/${id}/export?format=md`} className="text-blue-700 hover:underline">
          Markdown
        </a>
        <a href={`/cases/${id}/export?format=json`} className="text-blue-700 hover:underline">
          JSON
        </a>
      </div>
      <CaseReportView report={report} />
    </div>
  );
}
