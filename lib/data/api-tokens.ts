import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { getDb } from "@/lib/db/client";

/**
 * API tokens for machines (ingest, REST). Shown once at creation, stored as a SHA-256 hash,
 * revocable. Tokens carry fixed machine rights (ingest and read), whoever created them: see
 * lib/http/route-handler.ts.
 */
export const TOKEN_PREFIX = "wmit_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createApiToken(actorId: string, name: string): Promise<{ id: string; token: string }> {
  const token = `${TOKEN_PREFIX}${randomBytes(24).toString("base64url")}`;
  const { prisma } = getDb();
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { name, tokenHash: hashToken(token), createdBy: actorId },
      select: { id: true },
    });
    await tx.auditLog.create({
      data: { actorId, action: "token.create", entityType: "token", entityId: created.id, after: { name } },
    });
    return created;
  });
  return { id: row.id, token };
}

export async function revokeApiToken(actorId: string, id: string): Promise<void> {
  const { prisma } = getDb();
  await prisma.$transaction(async (tx) => {
    await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await tx.auditLog.create({ data: { actorId, action: "token.revoke", entityType: "token", entityId: id } });
  });
}

export async function listApiTokens() {
  return getDb().prisma.apiToken.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, createdBy: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** The token's id and name when it is valid and not revoked. */
export async function authenticateApiToken(token: string): Promise<{ id: string; name: string } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const { prisma } = getDb();
  const row = await prisma.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, name: true, revokedAt: true },
  });
  if (!row || row.revokedAt) return null;
  await prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return { id: row.id, name: row.name };
}
