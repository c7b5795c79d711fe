import { CURRENT_RULE } from "@/lib/rule/rules";

/**
 * The words the UI and the reports use for the stored vocabulary (Kibana's alert states and
 * close reasons, the case workflow, the guide's step ids, audit actions): one place, so no page
 * shows `true_positive` or `investigation.sysmon-21-fields`. Pure: client components, server
 * messages and the Markdown report share it. An unknown value is shown as it is stored.
 */

export const ALERT_STATUS_LABELS: Record<string, string> = {
  open: "Open",
  acknowledged: "Acknowledged",
  closed: "Closed",
};
const CASE_STATUS: Record<string, string> = { open: "Open", "in-progress": "In progress", closed: "Closed" };
/** verdicts, alert close reasons and case resolutions are one vocabulary */
export const VERDICT_LABELS: Record<string, string> = {
  true_positive: "True positive",
  benign_positive: "Benign positive",
  false_positive: "False positive",
  false_negative: "False negative",
  duplicate: "Duplicate",
  other: "Other",
};
const SEVERITY: Record<string, string> = { low: "Low", medium: "Medium", high: "High", critical: "Critical" };
const ROLE: Record<string, string> = { analyst: "Analyst", lead: "Lead", trainer: "Trainer", admin: "Admin" };
const STEP_ANSWER: Record<string, string> = { yes: "Yes", no: "No", unsure: "Unsure" };
const STEP = new Map<string, string>(
  [
    { id: CURRENT_RULE.guide.overview.id, label: "Why it matched" },
    ...CURRENT_RULE.guide.investigation,
    ...CURRENT_RULE.guide.falsePositives,
    ...CURRENT_RULE.guide.response,
  ].map((s) => [s.id, s.label]),
);
const EXCEPTION_STATUS: Record<string, string> = { active: "Active", expired: "Expired", disabled: "Disabled" };
const AUDIT_ACTION: Record<string, string> = {
  "alert.step": "Step updated",
  "alert.close": "Alert closed",
  "alert.reopen": "Alert reopened",
  "alert.acknowledge": "Alert acknowledged",
  "alert.status": "Alert status changed",
  "alert.assign": "Alert assigned",
  "alert.case": "Alert added to a case",
  "case.create": "Case created",
  "case.update": "Case edited",
  "case.status": "Case status changed",
  "case.comment": "Case comment",
  "case.close": "Case closed",
  "case.reopen": "Case reopened",
  "case.assign": "Case assigned",
  "case.attach": "Alerts attached",
  "case.detach": "Alerts detached",
  "exception.create": "Exception created",
  "exception.update": "Exception edited",
  "exception.enable": "Exception enabled",
  "exception.disable": "Exception disabled",
  "exception.delete": "Exception deleted",
  "exception.import": "Exception imported",
  "alert.qa-reopen": "Alert reopened by QA review",
  "hunt.pin": "Hunt result pinned",
  "ingest.upload": "File uploaded",
  "rule.enable": "Rule enabled",
  "rule.disable": "Rule disabled",
  "rule.backfill": "Backfill started",
  "setting.update": "Settings changed",
  "source.create": "Source added",
  "source.update": "Source edited",
  "source.delete": "Source removed",
  "source.poll": "Source polled",
  "token.create": "API token created",
  "token.revoke": "API token revoked",
  "user.create": "User created",
  "user.role": "Role changed",
  "user.enable": "User enabled",
  "user.disable": "User disabled",
  "user.password-reset": "Password reset",
  "training.assign": "Scenario assigned",
  "training.answer": "Training answer",
  "training.hint": "Training hint taken",
  "training.complete": "Scenario completed",
  "training.pack.install": "Training pack installed",
  "training.scenario.update": "Scenario edited",
  "training.tip.add": "Guide tip added",
  "training.tip.delete": "Guide tip removed",
  "webhook.create": "Webhook added",
  "webhook.delete": "Webhook removed",
  "webhook.enable": "Webhook enabled",
  "webhook.disable": "Webhook disabled",
};
/** what an audit entry is about (audit_log.entity_type) */
const AUDIT_ENTITY: Record<string, string> = {
  alert: "Alert",
  case: "Case",
  exception: "Exception",
  rule: "Rule",
  setting: "Settings",
  source: "Source",
  token: "API token",
  user: "User",
  ingest_job: "Ingest job",
  training: "Training",
  webhook: "Webhook",
};

/** training assignments (training_assignment.status) */
const TRAINING_STATUS: Record<string, string> = {
  assigned: "Assigned",
  "in-progress": "In progress",
  completed: "Completed",
};

/** rule runs: what started them (lib/detection/run.ts kinds) and how they ended */
const RUN_KIND: Record<string, string> = {
  scheduled: "Scheduled",
  manual: "Run now",
  backfill: "Backfill",
  ingest: "After ingest",
};
const RUN_STATUS: Record<string, string> = {
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  queued: "Queued",
  pending: "Pending",
  disabled: "Not run (rule disabled)",
};

const word = (table: Record<string, string>) => (value: string | null | undefined) =>
  value ? (table[value] ?? value) : "—";

export const alertStatusLabel = word(ALERT_STATUS_LABELS);
export const caseStatusLabel = word(CASE_STATUS);
export const verdictLabel = word(VERDICT_LABELS);
export const severityLabel = word(SEVERITY);
export const roleLabel = word(ROLE);
export const stepAnswerLabel = word(STEP_ANSWER);
export const auditActionLabel = word(AUDIT_ACTION);
export const auditEntityLabel = word(AUDIT_ENTITY);
export const trainingStatusLabel = word(TRAINING_STATUS);
export const exceptionStatusLabel = word(EXCEPTION_STATUS);
export const runKindLabel = word(RUN_KIND);
/** rule runs, backfills and ingest jobs share running / succeeded / failed */
export const runStatusLabel = word(RUN_STATUS);

/** A guide step by its label ("Check the consumer's command"), never its id. */
export function stepLabel(id: string | null | undefined): string {
  return id ? (STEP.get(id) ?? id) : "—";
}
