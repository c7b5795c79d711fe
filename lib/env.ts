import { z } from "zod";
import { parseAddressRange } from "@/lib/http/client-address";

/**
 * Every environment variable the app reads, and the one place that reads `process.env` (an ESLint
 * rule says so). Documented in the README's configuration table. Read at call time with
 * `getEnv()`: the CLIs and tests set variables after modules load.
 */
const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL")
    .optional(),
  /** size of the pg pool; 1 in embedded mode (PGlite serves one connection reliably) */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** where the embedded Postgres keeps its files when DATABASE_URL is unset */
  WMI_DATA_DIR: z.string().default(".data"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** port of the embedded Postgres socket server (127.0.0.1 only) */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /** the largest body POST /api/ingest accepts (bytes on the wire), refused with 413 while reading */
  WMI_MAX_INGEST_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(4 * 1024 ** 3),
  /** "1" disables the detection scheduler (tests drive runs themselves) */
  WMI_SCHEDULER_DISABLED: z.enum(["0", "1"]).default("0"),
  /** "1" when the app runs on the embedded PGlite (set by `npm start`, `npm test` and the CLIs) */
  WMI_EMBEDDED: z.enum(["0", "1"]).default("0"),
  /** "1" hides the demo accounts on the login page */
  WMI_HIDE_DEMO_ACCOUNTS: z.enum(["0", "1"]).default("0"),
  /** "0" stops the seed from loading the demo recordings */
  WMI_DEMO_EVENTS: z.enum(["0", "1"]).default("1"),
  /** the real recordings the seed's demo events and the training packs are read from */
  WMI_DATASETS_DIR: z.string().min(1).default("../shared/datasets"),
  /** signs session cookies and encrypts event sources' secrets; `npm start` generates one */
  BETTER_AUTH_SECRET: z.string().optional(),
  /** the app's public URL (cookie and origin checks); default http://localhost:$PORT */
  BETTER_AUTH_URL: z.url().optional(),
  /** the Next.js build `npm start` serves */
  NEXT_DIST_DIR: z.string().min(1).default(".next"),
  /**
   * "1" lets webhooks go to loopback and private networks (a receiver on this host or the LAN);
   * link-local and cloud metadata addresses are refused either way
   */
  WEBHOOK_ALLOW_PRIVATE: z.enum(["0", "1"]).default("0"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /**
   * addresses or CIDR ranges of the reverse proxies in front of the app, comma-separated; only
   * then are X-Forwarded-For (client address) and X-Forwarded-Proto (HTTPS) believed
   */
  TRUSTED_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const list = (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      for (const entry of list)
        if (!parseAddressRange(entry))
          ctx.addIssue({ code: "custom", message: `"${entry}" is not an IP address or CIDR range` });
      return list;
    }),
});

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid environment: ${problems}`);
  }
  return result.data;
}

/** The environment as it is now (parsed on every call: cheap, and never stale). */
export function getEnv(): Env {
  return parseEnv(process.env);
}
