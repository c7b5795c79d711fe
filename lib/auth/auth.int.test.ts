import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";

process.env.BETTER_AUTH_SECRET ??= "test-secret-for-the-auth-integration-tests-0123456789";
const { getAuth, hashPassword } = await import("@/lib/auth/auth");

// better-auth's own HTTP endpoints (/api/auth/*), called as a client would, not the app's form
const tag = `auth-${process.pid}-${Date.now()}`;
const password = "correct horse battery";
const origin = "http://localhost:3000";

async function makeUser(label: string, disabled: boolean) {
  const { prisma } = getDb();
  const id = randomUUID();
  const email = `${label}-${tag}@test.local`;
  await prisma.user.create({ data: { id, name: label, email, role: "analyst", emailVerified: true, disabled } });
  await prisma.account.create({
    data: {
      id: `${id}-credential`,
      accountId: id,
      providerId: "credential",
      userId: id,
      password: await hashPassword(password),
    },
  });
  return { id, email };
}

function signIn(email: string, pass: string, headers: Record<string, string> = {}) {
  return getAuth().handler(
    new Request(`${origin}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin, ...headers },
      body: JSON.stringify({ email, password: pass }),
    }),
  );
}

const sessionsOf = (userId: string) => getDb().prisma.session.count({ where: { userId } });

beforeAll(async () => {
  await getDb().prisma.$queryRaw`SELECT 1`;
});
afterAll(async () => {
  await closeDb();
});

describe("better-auth endpoints", () => {
  it("give an enabled user a session", async () => {
    const user = await makeUser("enabled", false);
    const response = await signIn(user.email, password);
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toMatch(/wmi\.session_token=/);
    expect(await sessionsOf(user.id)).toBe(1);
  });

  it("give a disabled user no session, over HTTP or through auth.api", async () => {
    const user = await makeUser("disabled", true);
    const response = await signIn(user.email, password);
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie") ?? "").not.toMatch(/session_token=[^;]/);
    const viaApi = await getAuth()
      .api.signInEmail({ body: { email: user.email, password }, headers: new Headers({ origin }) })
      .catch((e) => e);
    expect(viaApi.statusCode).toBe(403);
    expect(await sessionsOf(user.id)).toBe(0);
  });

  it("throttle an account however X-Forwarded-For is forged (no trusted proxy)", async () => {
    const user = await makeUser("guessed", false);
    for (let i = 0; i < 5; i++) {
      const wrong = await signIn(user.email, `wrong-${i}`, { "x-forwarded-for": `203.0.113.${i}` });
      expect(wrong.status).toBe(401);
    }
    // a sixth address claimed, and even the right password: still refused until the window passes
    const blocked = await signIn(user.email, password, { "x-forwarded-for": "198.51.100.77" });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toMatch(/too many failed sign-in attempts; try again in \d+ s/);
    expect(await sessionsOf(user.id)).toBe(0);
    // another account is not affected
    const other = await makeUser("other", false);
    expect((await signIn(other.email, password, { "x-forwarded-for": "198.51.100.77" })).status).toBe(200);
  });
});
