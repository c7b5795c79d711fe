import "server-only";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import type { EcsDocument } from "@/lib/ecs/document";
import { getString } from "@/lib/triage/fields";

/** The alert page's timeline: the host's events around the alert, both sides. */
export const TIMELINE_WINDOWS = [1, 5, 15, 60, 240, 1440] as const;
export const DEFAULT_TIMELINE_MINUTES = 15;
/** at most this many events in the timeline */
const MAX_EVENTS = 500;

/** The `window` URL param in minutes; anything else gives the default. */
export function parseTimelineWindow(raw: string | string[] | undefined): number {
  const n = Number(Array.isArray(raw) ? raw[0] : raw);
  return (TIMELINE_WINDOWS as readonly number[]).includes(n) ? n : DEFAULT_TIMELINE_MINUTES;
}

export interface TimelineEvent {
  id: string;
  timestamp: Date;
  eventCode: string | null;
  dataset: string | null;
  action: string | null;
  /** Sysmon's Operation (Created / Modified / Deleted) of WMI events */
  operation: string | null;
  /** the most telling value of the event: command line, WMI name/query, message */
  summary: string | null;
  isAlertEvent: boolean;
}

export interface HostTimeline {
  timeline: TimelineEvent[];
  /** the timeline's documents, for the guide's evidence and the false-positive checks */
  docs: EcsDocument[];
  truncated: boolean;
}

function summarize(doc: EcsDocument): string | null {
  const value =
    getString(doc, "process.command_line") ??
    getString(doc, "winlog.event_data.Query") ??
    getString(doc, "winlog.event_data.Consumer") ??
    getString(doc, "process.executable") ??
    getString(doc, "winlog.event_data.Name") ??
    getString(doc, "message");
  return value === undefined ? null : value.length > 400 ? `${value.slice(0, 400)}…` : value;
}

/**
 * The host's events within `windowMinutes` of the alert's event, nearest first on both sides (so the
 * alert's own event is always in), oldest first. One machine's events meet by host identity
 * (lib/ecs/host-identity.ts): a file's FQDN Computer and Agent's short name.
 */
export async function loadHostTimeline(
  actor: Actor,
  hostKey: string | null,
  alert: { eventId: bigint; eventTimestamp: Date },
  windowMinutes: number,
): Promise<HostTimeline> {
  assertCan(actor, "alerts:read");
  if (!hostKey) return { timeline: [], docs: [], truncated: false };
  const { prisma } = getDb();
  const windowMs = windowMinutes * 60_000;
  const t = alert.eventTimestamp.getTime();
  const half = MAX_EVENTS / 2;
  const select = { id: true, timestamp: true, eventCode: true, dataset: true, doc: true } as const;
  const [beforeRows, afterRows] = await Promise.all([
    prisma.event.findMany({
      where: { hostKey, timestamp: { gte: new Date(t - windowMs), lte: alert.eventTimestamp } },
      select,
      orderBy: [{ timestamp: "desc" }, { id: "desc" }],
      take: half + 1,
    }),
    prisma.event.findMany({
      where: { hostKey, timestamp: { gt: alert.eventTimestamp, lte: new Date(t + windowMs) } },
      select,
      orderBy: [{ timestamp: "asc" }, { id: "asc" }],
      take: half + 1,
    }),
  ]);
  const rows = [...beforeRows.slice(0, half).reverse(), ...afterRows.slice(0, half)];
  return {
    truncated: beforeRows.length > half || afterRows.length > half,
    docs: rows.map((e) => e.doc as EcsDocument),
    timeline: rows.map((e) => ({
      id: e.id.toString(),
      timestamp: e.timestamp,
      eventCode: e.eventCode,
      dataset: e.dataset,
      action: getString(e.doc, "event.action") ?? null,
      operation: getString(e.doc, "winlog.event_data.Operation")?.trim() || null,
      summary: summarize(e.doc as EcsDocument),
      isAlertEvent: e.id === alert.eventId,
    })),
  };
}
