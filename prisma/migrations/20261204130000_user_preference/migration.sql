-- Each user's own display choices, kept on the server so they follow the user to any browser and
-- the server renders the page already in them (no flash of the wrong theme on load):
-- theme (system follows the browser's prefers-color-scheme), the time zone times are shown in,
-- and the alerts table's columns (order and hidden ones).
CREATE TABLE "user_preference" (
  "user_id" TEXT NOT NULL PRIMARY KEY REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "theme" TEXT NOT NULL DEFAULT 'system' CHECK ("theme" IN ('system', 'light', 'dark')),
  "time_zone" TEXT NOT NULL DEFAULT 'UTC',
  "alert_columns" JSONB,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
