import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { hashPassword } from "@/lib/auth/auth";
import { assertCan, ROLES, type Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import { getDb } from "@/lib/db/client";

/**
 * User administration (admins). Users sign in with better-auth's credential account: a `user`
 * row plus an `account` row (providerId "credential", bcrypt hash), as lib/services/seed-service.ts
 * creates the demo users. Password hashes never leave this module.
 */
export const roleSchema = z.enum(ROLES);
export const passwordSchema = z.string().min(8, "passwords need at least 8 characters").max(200);

export const createUserSchema = z.object({
  name: z.string().trim().min(1, "enter a name").max(120),
  email: z.email("enter a valid email address").transform((e) => e.toLowerCase()),
  role: roleSchema,
  password: passwordSchema,
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

const userSelect = {
  id: true,
  name: true,
  email: true,
  role: true,
  disabled: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type UserView = Awaited<ReturnType<typeof listUsers>>[number];

export async function listUsers(actor: Actor) {
  assertCan(actor, "users:manage");
  const users = await getDb().prisma.user.findMany({
    orderBy: [{ disabled: "asc" }, { name: "asc" }],
    select: { ...userSelect, _count: { select: { sessions: true } } },
  });
  return users.map(({ _count, ...u }) => ({ ...u, activeSessions: _count.sessions }));
}

/** People alerts and cases can be assigned to: enabled users whose role may triage. */
export async function listAssignableUsers(): Promise<{ id: string; name: string; role: string }[]> {
  // the alerts page and every alert page ask: plain SQL on the pool, a fraction of an ORM query's CPU
  const { rows } = await getDb().pool.query<{ id: string; name: string; role: string }>(
    `SELECT id, name, role FROM "user" WHERE NOT disabled AND role IN ('analyst', 'lead', 'admin') ORDER BY name`,
  );
  return rows;
}

export async function createUser(actor: Actor, input: CreateUserInput) {
  assertCan(actor, "users:manage");
  const data = createUserSchema.parse(input);
  const { prisma } = getDb();
  const passwordHash = await hashPassword(data.password);
  const existing = await prisma.user.findUnique({ where: { email: data.email }, select: { id: true } });
  if (existing) throw new AppError("conflict", `a user with the email ${data.email} already exists`);
  return prisma.$transaction(async (tx) => {
    const id = randomUUID();
    const user = await tx.user.create({
      data: { id, name: data.name, email: data.email, role: data.role, emailVerified: true },
      select: userSelect,
    });
    await tx.account.create({
      data: { id: `${id}-credential`, accountId: id, providerId: "credential", userId: id, password: passwordHash },
    });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "user.create",
      entityType: "user",
      entityId: id,
      after: { name: user.name, email: user.email, role: user.role },
    });
    return user;
  });
}

async function loadUser(tx: Pick<ReturnType<typeof getDb>["prisma"], "user">, id: string) {
  const user = await tx.user.findUnique({ where: { id }, select: userSelect });
  if (!user) throw new AppError("not_found", "no such user");
  return user;
}

export async function setUserRole(actor: Actor, userId: string, role: string) {
  assertCan(actor, "users:manage");
  const next = roleSchema.parse(role);
  if (userId === actor.id && next !== "admin")
    throw new AppError("bad_request", "you cannot take away your own admin role");
  return getDb().prisma.$transaction(async (tx) => {
    const before = await loadUser(tx, userId);
    if (before.role === next) return before;
    const after = await tx.user.update({ where: { id: userId }, data: { role: next }, select: userSelect });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "user.role",
      entityType: "user",
      entityId: userId,
      before: { role: before.role },
      after: { role: after.role },
    });
    return after;
  });
}

/** Disabling deletes the user's sessions at once: they are signed out on their next request. */
export async function setUserDisabled(actor: Actor, userId: string, disabled: boolean) {
  assertCan(actor, "users:manage");
  if (userId === actor.id && disabled) throw new AppError("bad_request", "you cannot disable yourself");
  return getDb().prisma.$transaction(async (tx) => {
    const before = await loadUser(tx, userId);
    if (before.disabled === disabled) return { ...before, sessionsEnded: 0 };
    const after = await tx.user.update({ where: { id: userId }, data: { disabled }, select: userSelect });
    const ended = disabled ? (await tx.session.deleteMany({ where: { userId } })).count : 0;
    await appendAudit(tx, {
      actorId: actor.id,
      action: disabled ? "user.disable" : "user.enable",
      entityType: "user",
      entityId: userId,
      before: { disabled: before.disabled },
      after: { disabled: after.disabled, sessionsEnded: ended },
    });
    return { ...after, sessionsEnded: ended };
  });
}

/** Sets a new password and ends the user's sessions; the audit entry records that, never the password. */
export async function resetUserPassword(actor: Actor, userId: string, password: string) {
  assertCan(actor, "users:manage");
  const hash = await hashPassword(passwordSchema.parse(password));
  await getDb().prisma.$transaction(async (tx) => {
    await loadUser(tx, userId);
    const updated = await tx.account.updateMany({
      where: { userId, providerId: "credential" },
      data: { password: hash },
    });
    if (updated.count === 0) {
      await tx.account.create({
        data: { id: `${userId}-credential`, accountId: userId, providerId: "credential", userId, password: hash },
      });
    }
    const ended = userId === actor.id ? 0 : (await tx.session.deleteMany({ where: { userId } })).count;
    await appendAudit(tx, {
      actorId: actor.id,
      action: "user.password-reset",
      entityType: "user",
      entityId: userId,
      after: { sessionsEnded: ended },
    });
  });
}

/** Display names for ids found in history (actors, assignees); ids that are not users are kept. */
export async function getUserNames(ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return new Map();
  // a machine acting with an API token is recorded as `token:<id>` (route handlers' actor)
  const tokenIds = wanted.flatMap((id) => {
    const m = TOKEN_ACTOR.exec(id);
    return m ? [m[1]] : [];
  });
  const userIds = wanted.filter((id) => !TOKEN_ACTOR.test(id));
  const { prisma } = getDb();
  const [users, tokens] = await Promise.all([
    userIds.length ? prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [],
    tokenIds.length
      ? prisma.apiToken.findMany({ where: { id: { in: tokenIds } }, select: { id: true, name: true } })
      : [],
  ]);
  return new Map([
    ...users.map((r) => [r.id, r.name] as const),
    ...tokens.map((t) => [`token:${t.id}`, `API token "${t.name}"`] as const),
  ]);
}

const TOKEN_ACTOR = /^token:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
