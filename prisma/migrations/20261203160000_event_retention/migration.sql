-- Event retention (lib/services/retention-service.ts). Events age from when they were stored
-- (created_at): a BRIN index finds the id range of expired events by reading a few block
-- summaries, since rows are stored in insertion order; it costs the ingest almost nothing.
CREATE INDEX "event_created_at_idx" ON "event" USING brin ("created_at");

-- The purge keeps the host context of every alert (the alert page's timeline: the alert's host
-- by host_key, ± the widest timeline window): one index probe per expired event instead of a
-- scan of the host's alerts.
CREATE INDEX "alert_host_key_event_timestamp_idx" ON "alert" ("host_key", "event_timestamp");
