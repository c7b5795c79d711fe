import type { AlertDetail } from "@/lib/data/alert-detail";
import { AlertHeader, WhyMatched } from "./alert-header";
import { AlertNav } from "./alert-nav";
import type { AlertStatus } from "@/lib/data/alert-status";
import { AlertVersionProvider } from "./alert-version";
import { EvidenceSection } from "./evidence-section";
import { HistorySection } from "./history-section";
import { RelatedSection } from "./related-section";
import { FalsePositiveSection, InvestigationSection, ResponseSection, VerdictSection } from "./workflow-sections";

/** The alert page: header, why it matched, evidence, related, the guide as a workflow, history. */
export function AlertView({ detail, currentUserId }: { detail: AlertDetail; currentUserId: string }) {
  const stepLabels = Object.fromEntries(
    [...detail.investigation, ...detail.falsePositives, ...detail.response].map((s) => [s.id, s.label]),
  );
  return (
    <AlertVersionProvider
      alertId={detail.alert.id}
      version={detail.alert.version}
      seen={{ status: detail.alert.status as AlertStatus, assigneeId: detail.alert.assigneeId }}
    >
      <div className="space-y-4">
        <AlertNav nav={detail.nav} />
        <AlertHeader detail={detail} currentUserId={currentUserId} />
        <WhyMatched detail={detail} />
        <EvidenceSection detail={detail} />
        <RelatedSection detail={detail} />
        <InvestigationSection detail={detail} />
        <FalsePositiveSection detail={detail} />
        <VerdictSection detail={detail} />
        <ResponseSection detail={detail} />
        <HistorySection history={detail.history} stepLabels={stepLabels} />
      </div>
    </AlertVersionProvider>
  );
}
