import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can, PERMISSIONS, ROLES, type Actor, type Permission } from "@/lib/auth/permissions";
import { listAlerts, parseAlertFilter } from "@/lib/data/alert-list";
import { assignAlerts, setAlertsStatus } from "@/lib/data/alert-status";
import { auditFilterSchema, listAuditLog } from "@/lib/data/audit-log";
import { addCaseComment, assignCases, closeCase, createCase, getCase, updateCase } from "@/lib/data/cases";
import { createHuntRun, huntInputSchema, pinHuntHit, pinSchema, saveHunt, savedHuntSchema } from "@/lib/data/hunts";
import { createException } from "@/lib/data/exceptions";
import { getMetrics } from "@/lib/data/metrics";
import { getQaSample, getQueue } from "@/lib/data/queue";
import { getRetentionOverview, setRetentionDays } from "@/lib/data/retention";
import { getRuleOverview } from "@/lib/data/rule-runs";
import { DEFAULT_MANDATORY_STEPS, setMandatorySteps, setQaSampleSize } from "@/lib/data/settings";
import { listSources } from "@/lib/data/sources";
import { listScenarios } from "@/lib/data/training-scenarios";
import { createUser, listUsers, resetUserPassword, setUserDisabled, setUserRole } from "@/lib/data/users";
import { closeDb, getDb } from "@/lib/db/client";
import { exceptionInputSchema } from "@/lib/exceptions/input";
import { updateRuleEnabled } from "@/lib/services/rule-service";

/**
 * Walks the permission matrix through the data functions (the second check behind every server
 * action): for every role and every guarded operation, an allowed role gets past the check and a
 * denied one gets `forbidden` with nothing written (audit log row count unchanged). An allowed role
 * gets the operation's own outcome: done ("ok"), or the answer past the permission check that the
 * op's data asks for (`expect`: a stale version is a conflict, a missing event not_found). The
 * actions' own `requirePermission` and the route handlers are covered by the e2e specs;
 * `events:ingest` and `events:read` are checked only by the route handlers (lib/http/route-handler.ts).
 */
const ROUTE_ONLY: Permission[] = ["events:ingest", "events:read"];
const tag = `perm-${process.pid}-${Date.now()}`;
const actors = Object.fromEntries(ROLES.map((r) => [r, { id: `${tag}-${r}`, name: `${r} ${tag}`, role: r }])) as Record<
  (typeof ROLES)[number],
  Actor
>;
let caseId = "";
let caseStamp: Date;
let targetUserId = "";

const auditCount = () => getDb().prisma.auditLog.count();
/** the case as it is now (other ops change it too): an allowed edit is not refused as stale */
const caseVersion = async () =>
  (await getDb().prisma.case.findUniqueOrThrow({ where: { id: caseId }, select: { updatedAt: true } })).updatedAt;

/** `expect`: what an allowed role gets, "ok" unless said */
type Op = { name: string; permission: Permission; run: (a: Actor) => Promise<unknown>; expect?: string };
const ops: Op[] = [
  { name: "list users", permission: "users:manage", run: (a) => listUsers(a) },
  {
    name: "create user",
    permission: "users:manage",
    run: (a) =>
      createUser(a, { name: "X", email: `${a.role}-${tag}@new.local`, role: "analyst", password: "long-enough-1" }),
  },
  { name: "change role", permission: "users:manage", run: (a) => setUserRole(a, targetUserId, "lead") },
  { name: "disable user", permission: "users:manage", run: (a) => setUserDisabled(a, targetUserId, true) },
  {
    name: "reset password",
    permission: "users:manage",
    run: (a) => resetUserPassword(a, targetUserId, "another-password"),
  },
  { name: "read a case", permission: "cases:read", run: (a) => getCase(a, caseId) },
  { name: "create a case", permission: "cases:write", run: (a) => createCase(a, { title: `by ${a.role} ${tag}` }) },
  { name: "comment on a case", permission: "cases:write", run: (a) => addCaseComment(a, caseId, "hello") },
  {
    name: "edit a case",
    permission: "cases:write",
    run: async (a) => (caseStamp = (await updateCase(a, caseId, await caseVersion(), { severity: "high" })).updatedAt),
  },
  {
    name: "assign a case to someone else",
    permission: "alerts:assign",
    run: async (a) =>
      (caseStamp =
        (await assignCases(a, [{ id: caseId, updatedAt: await caseVersion() }], actors.lead.id))[0]?.updatedAt ??
        caseStamp),
  },
  {
    name: "close a case (not theirs)",
    permission: "cases:close",
    run: (a) =>
      closeCase(a, caseId, new Date(0), { resolution: "other" }).catch((e) => {
        if (e.code === "forbidden") throw e;
      }),
  },
  {
    name: "change alert status",
    permission: "alerts:triage",
    run: (a) => setAlertsStatus(a, [{ id: `${tag}-none`, version: 1 }], "acknowledged"),
  },
  {
    name: "assign alerts to someone else",
    permission: "alerts:assign",
    run: (a) => assignAlerts(a, [{ id: `${tag}-none`, version: 1 }], actors.lead.id),
  },
  { name: "see the queue", permission: "alerts:assign", run: (a) => getQueue(a, { view: "unassigned", page: 1 }) },
  { name: "see the QA sample", permission: "alerts:assign", run: (a) => getQaSample(a, 5) },
  { name: "see metrics", permission: "metrics:read", run: (a) => getMetrics(a, 7) },
  { name: "read the audit log", permission: "audit:read", run: (a) => listAuditLog(a, auditFilterSchema.parse({})) },
  {
    name: "set mandatory steps",
    permission: "settings:write",
    run: (a) => setMandatorySteps(a, DEFAULT_MANDATORY_STEPS),
  },
  { name: "set the QA sample size", permission: "settings:write", run: (a) => setQaSampleSize(a, 10) },
  {
    name: "run a hunt",
    permission: "hunt:run",
    run: (a) =>
      createHuntRun(
        a,
        huntInputSchema.parse({ query: "any where false", from: "2030-01-01T00:00:00Z", to: "2030-01-02T00:00:00Z" }),
      ),
  },
  {
    name: "save a hunt query",
    permission: "hunt:run",
    run: (a) =>
      saveHunt(a, savedHuntSchema.parse({ name: `${tag} ${a.role}`, query: "process where true", shared: true })),
  },
  {
    name: "pin a hunted event to an alert",
    permission: "alerts:triage",
    run: (a) => pinHuntHit(a, pinSchema.parse({ eventId: "0", alertId: `${tag}-none`, query: "any where true" })),
    expect: "not_found",
  },
  {
    name: "pin a hunted event to a case",
    permission: "cases:write",
    run: (a) => pinHuntHit(a, pinSchema.parse({ eventId: "0", caseNumber: 999_999_999, query: "any where true" })),
    expect: "not_found",
  },
  { name: "set the event retention", permission: "retention:manage", run: (a) => setRetentionDays(a, 90) },
  {
    name: "list alerts",
    permission: "alerts:read",
    run: (a) => listAlerts(a, parseAlertFilter({ q: tag })),
  },
  { name: "read the rule page", permission: "rule:read", run: (a) => getRuleOverview(a) },
  { name: "enable the rule", permission: "rule:run", run: (a) => updateRuleEnabled(a, true) },
  {
    name: "create a rule exception (disabled, matching nothing)",
    permission: "exceptions:write",
    run: (a) =>
      createException(
        a,
        exceptionInputSchema.parse({
          name: `${tag} ${a.role}`,
          enabled: false,
          conditions: [{ field: "host.name", operator: "is", value: `${tag}-no-such-host`, caseSensitive: true }],
        }),
      ),
  },
  { name: "list training scenarios", permission: "training:manage", run: (a) => listScenarios(a) },
  { name: "list event sources", permission: "tokens:manage", run: (a) => listSources(a) },
  { name: "read the retention page", permission: "retention:manage", run: (a) => getRetentionOverview(a) },
];

beforeAll(async () => {
  const { prisma } = getDb();
  for (const a of Object.values(actors))
    await prisma.user.create({ data: { id: a.id, name: a.name!, email: `${a.id}@test.local`, role: a.role } });
  targetUserId = (
    await prisma.user.create({
      data: { id: `${tag}-target`, name: "Target", email: `${tag}-target@test.local`, role: "analyst" },
    })
  ).id;
  const c = await createCase(actors.lead, { title: `Matrix ${tag}` });
  caseId = c.id;
  caseStamp = c.updatedAt;
});

afterAll(async () => {
  await getDb().prisma.ruleException.deleteMany({ where: { name: { startsWith: tag } } });
  await getDb().prisma.setting.deleteMany({
    where: { key: { in: ["mandatorySteps", "qaSampleSize", "retentionDays"] } },
  });
  await closeDb();
});

describe("the permission matrix, role by role", () => {
  for (const role of ROLES) {
    for (const op of ops) {
      const allowed = can(role, op.permission);
      it(`${role} ${allowed ? "may" : "may not"} ${op.name}`, async () => {
        const before = await auditCount();
        const outcome = await op.run(actors[role]).then(
          () => "ok",
          (e: { code?: string }) => e.code ?? "error",
        );
        if (allowed) {
          expect(outcome).toBe(op.expect ?? "ok");
        } else {
          expect(outcome).toBe("forbidden");
          expect(await auditCount()).toBe(before);
        }
      });
    }
  }

  it("walks every permission of the matrix (route-only ones are the e2e specs')", () => {
    const walked = new Set(ops.map((op) => op.permission));
    const missing = (Object.keys(PERMISSIONS) as Permission[]).filter((p) => !walked.has(p) && !ROUTE_ONLY.includes(p));
    expect(missing).toEqual([]);
  });

  it("leaves a denied user-admin change undone in the data, not only in the log", async () => {
    const target = await getDb().prisma.user.findUniqueOrThrow({ where: { id: targetUserId }, select: { role: true } });
    // only the admin's calls went through: role changed to lead by the admin, nobody else
    expect(target.role).toBe("lead");
    const created = await getDb().prisma.user.findMany({
      where: { email: { endsWith: `-${tag}@new.local` } },
      select: { email: true },
    });
    expect(created.map((u) => u.email)).toEqual([`admin-${tag}@new.local`]);
  });
});
