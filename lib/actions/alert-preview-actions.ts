"use server";

import { z } from "zod";
import { withPermission, type Failure } from "@/lib/actions/with-permission";
import { getAlertDetail } from "@/lib/data/alert-detail";

/** What the alerts list's preview panel shows of one alert (no timeline, no raw event). */
export interface AlertPreview {
  alert: {
    id: string;
    severity: string;
    riskScore: number;
    reason: string;
    eventTimestamp: string;
    hostName: string | null;
    userName: string | null;
    consumerName: string | null;
    consumerType: string | null;
    command: string | null;
    status: string;
    statusChangedByName: string | null;
    statusChangedAt: string | null;
    assigneeId: string | null;
    assigneeName: string | null;
    closeReason: string | null;
    version: number;
  };
  branch: string | null;
  trace: { text: string; values: string[]; held: boolean }[];
  subscriptionState: string;
  missingMandatory: string[];
  assignees: { id: string; name: string }[];
  permissions: { triage: boolean; assign: boolean };
}

export type AlertPreviewResult = { ok: true; preview: AlertPreview } | Failure;

// a read, not a write: the list loads the preview of the row the analyst opens without leaving the page
export const getAlertPreviewAction = withPermission(
  "alerts:read",
  z.tuple([z.string().min(1).max(200)]),
  async (actor, id): Promise<AlertPreviewResult> => {
    const d = await getAlertDetail(actor, id);
    const a = d.alert;
    const steps = [...d.investigation, ...d.falsePositives, ...d.response];
    const value = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
    return {
      ok: true,
      preview: {
        alert: {
          id: a.id,
          severity: a.severity,
          riskScore: a.riskScore,
          reason: a.reason,
          eventTimestamp: a.eventTimestamp.toISOString(),
          hostName: a.hostName,
          userName: a.userName,
          consumerName: a.consumerName,
          consumerType: a.consumerType,
          command: a.command && a.command.length > 2000 ? `${a.command.slice(0, 2000)}…` : a.command,
          status: a.status,
          statusChangedByName: a.statusChangedByName,
          statusChangedAt: a.statusChangedAt?.toISOString() ?? null,
          assigneeId: a.assigneeId,
          assigneeName: a.assigneeName,
          closeReason: a.closeReason,
          version: a.version,
        },
        branch: d.explanation.branch?.text ?? null,
        trace: d.explanation.trace
          .filter((t) => t.branchIndex === null || t.branchIndex === d.explanation.branch?.index)
          .map((t) => ({ text: t.text, values: t.values.slice(0, 3).map(value), held: t.held })),
        subscriptionState: d.life.state,
        missingMandatory: steps.filter((s) => s.mandatory && !s.state?.done).map((s) => s.label),
        assignees: d.assignees,
        permissions: { triage: d.permissions.triage, assign: d.permissions.assign },
      },
    };
  },
);
