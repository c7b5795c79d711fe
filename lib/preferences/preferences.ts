/**
 * A user's display choices and their validation (pure: shared by the data layer, the server
 * action and the client components that read them).
 */
import { z } from "zod";

export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

/** An IANA zone name the runtime knows ("UTC", "Europe/Berlin"); anything else is refused by name. */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "unknown time zone (use an IANA name such as UTC or Europe/Berlin)");

export const columnPrefsSchema = z.object({
  order: z.array(z.string().min(1).max(200)).max(200),
  hidden: z.array(z.string().min(1).max(200)).max(200),
});
export type ColumnPrefs = z.infer<typeof columnPrefsSchema>;

export const themeSchema = z.enum(THEMES);

/**
 * The <html> class of a theme: app/dark-palette.css applies the dark palette to .dark, and to .theme-system when the
 * browser prefers dark.
 */
export function themeClass(theme: Theme): string {
  return theme === "dark" ? "dark" : theme === "light" ? "light" : "theme-system";
}

export interface Preferences {
  theme: Theme;
  timeZone: string;
  /** null: the table's default columns */
  alertColumns: ColumnPrefs | null;
}

export const DEFAULT_PREFERENCES: Preferences = { theme: "system", timeZone: "UTC", alertColumns: null };

/** A stored row (or none) as Preferences; values that no longer validate fall back to the default. */
export function toPreferences(row: { theme: string; timeZone: string; alertColumns: unknown } | null): Preferences {
  if (!row) return DEFAULT_PREFERENCES;
  const theme = themeSchema.safeParse(row.theme);
  const tz = timeZoneSchema.safeParse(row.timeZone);
  const cols = columnPrefsSchema.safeParse(row.alertColumns);
  return {
    theme: theme.success ? theme.data : "system",
    timeZone: tz.success ? tz.data : "UTC",
    alertColumns: cols.success ? cols.data : null,
  };
}
