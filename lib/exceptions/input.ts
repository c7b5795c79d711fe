import { z } from "zod";
import { conditionsSchema } from "./conditions";

/** One schema for the exception form, its server actions and the data functions. */
export const exceptionInputSchema = z.object({
  name: z.string().trim().min(1, "give the exception a name").max(200, "names are at most 200 characters"),
  comment: z.string().trim().max(4000, "comments are at most 4000 characters").default(""),
  conditions: conditionsSchema,
  /** ISO date-time or null (never expires) */
  expiresAt: z
    .union([z.iso.datetime({ offset: true }), z.iso.date(), z.null(), z.literal("")])
    .transform((v) => (v ? new Date(v) : null))
    .default(null),
  enabled: z.boolean().default(true),
});
export type ExceptionInput = z.output<typeof exceptionInputSchema>;
export type ExceptionInputDraft = z.input<typeof exceptionInputSchema>;
