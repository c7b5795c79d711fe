-- A subscription event's text as lib/data/host-subscription-events.ts searches it for an alert's
-- consumer and filter names: lower-cased, without whitespace and invisible characters, so that
-- near-matches (U+00A0, zero-width, case) are read with the alert's own events. Stored for WMI
-- subscription events only (Sysmon 19/20/21, Elastic Defend API events; NULL for the others), so
-- it is computed once when the event is stored instead of at every rule run and alert page.
ALTER TABLE "event" ADD COLUMN "subscription_text" TEXT GENERATED ALWAYS AS (
  CASE WHEN "event_code" IN ('19', '20', '21') OR "dataset" = 'endpoint.events.api'
       THEN regexp_replace(lower("doc"::text), '[\s\u00a0\u200b-\u200f\u2028\u2029\u2060\ufeff]', '', 'g')
  END
) STORED;
