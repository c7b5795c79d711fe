import type { AlertStatusActionResult } from "@/lib/actions/alert-status-actions";

export type ChangeMessage = { kind: "ok" | "error"; text: string; details?: string[] };

/** A bulk change's outcome in words: how many changed, were already so, or could not be (and why). */
export function describeChange(result: AlertStatusActionResult, verb: string): ChangeMessage {
  if (!result.ok) return { kind: "error", text: result.error.message };
  const parts = [`${result.updated.length} alert(s) ${verb}`];
  if (result.unchanged.length) parts.push(`${result.unchanged.length} already so`);
  const failed = [...result.blocked, ...result.conflicts];
  if (failed.length) parts.push(`${failed.length} could not be ${verb}`);
  return {
    kind: failed.length ? "error" : "ok",
    text: parts.join(" · "),
    details: failed.map((f) => `${f.label}: ${f.message}`),
  };
}
