import { z } from "zod";
import { parseAddressRange } from "@/lib/http/client-address";

/**
 * Every environment variable the app reads, parsed once. Documented in the README's
 * configuration table.
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

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid environment: ${problems}`);
  }
  return result.data;
}

export const env: Env = parseEnv();
