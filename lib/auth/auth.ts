import "server-only";
import bcrypt from "bcryptjs";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { getDb } from "@/lib/db/client";

/**
 * Authentication with better-auth: email + password (bcrypt), sessions stored in Postgres
 * (`session` table), httpOnly SameSite=Lax cookies (Secure in production), sign-in rate limited.
 * Self sign-up is off: admins create users (lib/data/users.ts).
 */
export const BCRYPT_ROUNDS = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_ROUNDS);
}

function createAuth() {
  const secret = process.env.BETTER_AUTH_SECRET;
  if (!secret || secret.length < 32) {
    throw new Error("BETTER_AUTH_SECRET must be set (32+ characters); `npm start` generates one under the data folder");
  }
  return betterAuth({
    secret,
    baseURL: process.env.BETTER_AUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`,
    trustedOrigins: (request) => (request ? [new URL(request.url).origin] : []),
    database: prismaAdapter(getDb().prisma, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 8,
      password: { hash: hashPassword, verify: ({ hash, password }) => bcrypt.compare(password, hash) },
    },
    user: {
      additionalFields: {
        role: { type: "string", input: false, defaultValue: "analyst" },
        disabled: { type: "boolean", input: false, defaultValue: false },
      },
    },
    session: { expiresIn: 60 * 60 * 12, updateAge: 60 * 60 },
    rateLimit: {
      enabled: true,
      storage: "memory",
      window: 60,
      max: 300,
      customRules: { "/sign-in/email": { window: 60, max: 5 } },
    },
    advanced: { cookiePrefix: "wmi", defaultCookieAttributes: { httpOnly: true, sameSite: "lax" } },
    telemetry: { enabled: false },
    plugins: [nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
const cache = globalThis as unknown as { __wmiAuth?: Auth };

export function getAuth(): Auth {
  cache.__wmiAuth ??= createAuth();
  return cache.__wmiAuth;
}
