import "server-only";
import bcrypt from "bcryptjs";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { LoginThrottle } from "@/lib/auth/login-rate-limit";
import { PostgresLoginFailureStore } from "@/lib/data/login-failures";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { clientAddress, TrustedProxies } from "@/lib/http/client-address";

/**
 * Authentication with better-auth: email + password (bcrypt), sessions stored in Postgres
 * (`session` table), httpOnly SameSite=Lax cookies (Secure in production), sign-in rate limited.
 * Self sign-up is off: admins create users (lib/data/users.ts).
 *
 * The rules hold for every better-auth endpoint, not only for the app's sign-in form (which calls
 * `auth.api.signInEmail`): `/api/auth/*` serves the same endpoints over HTTP, so the sign-in
 * throttle is a hook on the endpoint and a disabled user is refused where sessions are created.
 */
export const BCRYPT_ROUNDS = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_ROUNDS);
}

// failures are counted in the database, so every instance on it enforces the same limits
export const loginThrottle = new LoginThrottle(new PostgresLoginFailureStore());
const trustedProxies = new TrustedProxies(getEnv().TRUSTED_PROXY);

const SIGN_IN = "/sign-in/email";
const emailOf = (body: unknown) =>
  body && typeof body === "object" && "email" in body && typeof body.email === "string" ? body.email : null;

function createAuth() {
  const env = getEnv();
  const secret = env.BETTER_AUTH_SECRET;
  if (!secret || secret.length < 32) {
    throw new Error("BETTER_AUTH_SECRET must be set (32+ characters); `npm start` generates one under the data folder");
  }
  return betterAuth({
    secret,
    baseURL: env.BETTER_AUTH_URL ?? `http://localhost:${env.PORT}`,
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
    databaseHooks: {
      session: {
        create: {
          // every way to a session (sign-in over HTTP or auth.api) ends here
          before: async (session) => {
            const user = await getDb().prisma.user.findUnique({
              where: { id: session.userId },
              select: { disabled: true },
            });
            if (!user || user.disabled) throw new APIError("FORBIDDEN", { message: "this account is disabled" });
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const email = ctx.path === SIGN_IN ? emailOf(ctx.body) : null;
        if (!email) return;
        const wait = await loginThrottle.retryAfter(clientAddress(ctx.headers ?? new Headers(), trustedProxies), email);
        if (wait > 0)
          throw new APIError("TOO_MANY_REQUESTS", {
            message: `too many failed sign-in attempts; try again in ${Math.ceil(wait / 1000)} s`,
          });
      }),
      after: createAuthMiddleware(async (ctx) => {
        const email = ctx.path === SIGN_IN ? emailOf(ctx.body) : null;
        if (!email) return;
        const client = clientAddress(ctx.headers ?? new Headers(), trustedProxies);
        const returned = ctx.context.returned;
        const status = (returned as { statusCode?: number } | undefined)?.statusCode;
        if (status === 429) return; // the throttle's own refusal is not another guess
        if (returned instanceof Error || status) await loginThrottle.recordFailure(client, email);
        else await loginThrottle.recordSuccess(client, email);
      }),
    },
    rateLimit: {
      enabled: true,
      storage: "memory",
      window: 60,
      max: 300,
      // per address (one shared bucket without a trusted proxy), against spraying many accounts;
      // guesses at one account are counted by the loginThrottle hook
      customRules: { "/sign-in/email": { window: 60, max: 30 } },
    },
    advanced: {
      cookiePrefix: "wmi",
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      // X-Forwarded-For is the client's own claim unless a trusted proxy wrote it; without one,
      // better-auth's per-address limits fall back to one bucket per endpoint
      ipAddress:
        env.TRUSTED_PROXY.length > 0
          ? { ipAddressHeaders: ["x-forwarded-for"], trustedProxies: env.TRUSTED_PROXY }
          : { ipAddressHeaders: [] },
    },
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
