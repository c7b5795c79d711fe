import "server-only";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { getUserNames } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Other alerts the alert page links to: related ones (same host, user, consumer or command) and "seen before". */
const MAX_RELATED = 50;

export interface RelatedAlertRow {
  id: string;
  eventTimestamp: Date;
  status: string;
  severity: string;
  hostName: string | null;
  userName: string | null;
  consumerName: string | null;
  command: string | null;
  matchedOn: ("host" | "user" | "consumer" | "command")[];
}

export interface SeenBeforeRow {
  id: string;
  eventTimestamp: Date;
  hostName: string | null;
  consumerName: string | null;
  command: string | null;
  verdict: string | null;
  closeReason: string | null;
  verdictNote: string | null;
  closedByName: string | null;
  closedAt: Date | null;
  matchedOn: ("consumer" | "command")[];
}

interface AlertKeys {
  id: string;
  hostKey: string | null;
  /** the user to link on, null when it is a built-in service account (it runs on every host) */
  linkUser: string | null;
  consumerName: string | null;
  command: string | null;
}

const relatedSelect = {
  id: true,
  eventTimestamp: true,
  status: true,
  severity: true,
  hostName: true,
  hostKey: true,
  userName: true,
  consumerName: true,
  command: true,
} as const satisfies Prisma.AlertSelect;

/** Alerts sharing the host, the user, the consumer or the command, newest first, each with what it shares. */
export async function listRelatedAlerts(actor: Actor, alert: AlertKeys): Promise<RelatedAlertRow[]> {
  assertCan(actor, "alerts:read");
  const { hostKey, linkUser, consumerName, command } = alert;
  const or: Prisma.AlertWhereInput[] = [];
  if (hostKey) or.push({ hostKey });
  if (linkUser) or.push({ userName: linkUser });
  if (consumerName) or.push({ consumerName });
  if (command) or.push({ command });
  if (or.length === 0) return [];
  const rows = await getDb().prisma.alert.findMany({
    where: { id: { not: alert.id }, OR: or },
    select: relatedSelect,
    orderBy: { eventTimestamp: "desc" },
    take: MAX_RELATED,
  });
  return rows.map(({ hostKey: relatedHostKey, ...r }) => ({
    ...r,
    matchedOn: [
      ...(hostKey && relatedHostKey === hostKey ? (["host"] as const) : []),
      ...(linkUser && r.userName === linkUser ? (["user"] as const) : []),
      ...(consumerName && r.consumerName === consumerName ? (["consumer"] as const) : []),
      ...(command && r.command === command ? (["command"] as const) : []),
    ],
  }));
}

/** Closed alerts with the same consumer or command: how they were closed, by whom. */
export async function listSeenBefore(actor: Actor, alert: AlertKeys): Promise<SeenBeforeRow[]> {
  assertCan(actor, "alerts:read");
  const { consumerName, command } = alert;
  const or: Prisma.AlertWhereInput[] = [];
  if (consumerName) or.push({ consumerName });
  if (command) or.push({ command });
  if (or.length === 0) return [];
  const rows = await getDb().prisma.alert.findMany({
    where: { id: { not: alert.id }, status: "closed", OR: or },
    select: {
      ...relatedSelect,
      verdict: true,
      closeReason: true,
      verdictNote: true,
      statusChangedBy: true,
      statusChangedAt: true,
    },
    orderBy: [{ statusChangedAt: "desc" }, { eventTimestamp: "desc" }],
    take: MAX_RELATED,
  });
  const names = await getUserNames(rows.map((s) => s.statusChangedBy));
  return rows.map((s) => ({
    id: s.id,
    eventTimestamp: s.eventTimestamp,
    hostName: s.hostName,
    consumerName: s.consumerName,
    command: s.command,
    verdict: s.verdict,
    closeReason: s.closeReason,
    verdictNote: s.verdictNote,
    closedByName: s.statusChangedBy ? (names.get(s.statusChangedBy) ?? s.statusChangedBy) : null,
    closedAt: s.statusChangedAt,
    matchedOn: [
      ...(consumerName && s.consumerName === consumerName ? (["consumer"] as const) : []),
      ...(command && s.command === command ? (["command"] as const) : []),
    ],
  }));
}
