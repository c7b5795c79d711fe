import { z } from "zod";

/**
 * The one schema for an event source as an admin edits it: the form, the server action and the
 * data function all use it. The secret (API key or password) is write-only: left empty on an
 * edit, the stored one is kept; it is never sent back to the browser.
 */
export const AUTH_TYPES = ["none", "api_key", "basic"] as const;
export const SOURCE_MODES = ["poll", "eql"] as const;

const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

export const sourceInputSchema = z
  .object({
    name: z.string().trim().min(1, "name the source").max(100),
    url: z
      .string()
      .trim()
      .url("the URL must look like https://host:9200")
      .refine((u) => /^https?:\/\//i.test(u), "the URL must start with http:// or https://")
      .transform((u) => u.replace(/\/+$/, "")),
    authType: z.enum(AUTH_TYPES),
    username: z
      .string()
      .trim()
      .max(200)
      .optional()
      .transform((v) => v || null),
    /** empty = keep the stored secret (edits) / no secret (auth none) */
    secret: z
      .string()
      .max(4000)
      .optional()
      .transform((v) => v || null),
    caCert: z
      .string()
      .trim()
      .max(20_000)
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || pem.test(v), "the CA certificate must be PEM text (-----BEGIN CERTIFICATE----- …)"),
    tlsVerify: z.boolean(),
    indexPatterns: z
      .array(
        z
          .string()
          .trim()
          .min(1)
          .max(255)
          .regex(/^[^\s,"\\/|?<>]+$/, "an index pattern has no spaces, commas, quotes or slashes"),
      )
      .min(1, "give at least one index pattern")
      .max(50),
    mode: z.enum(SOURCE_MODES),
    enabled: z.boolean(),
    pollIntervalSec: z.coerce
      .number()
      .int()
      .min(60, "poll at most once a minute")
      .max(86_400, "poll at least once a day"),
  })
  .superRefine((v, ctx) => {
    if (v.authType === "basic" && !v.username)
      ctx.addIssue({ code: "custom", path: ["username"], message: "basic auth needs a username" });
  });

export type SourceInput = z.infer<typeof sourceInputSchema>;
export type SourceFormValues = z.input<typeof sourceInputSchema>;

/** "a, b\nc" → ["a", "b", "c"]: how the form's index-pattern field is read. */
export function splitIndexPatterns(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
