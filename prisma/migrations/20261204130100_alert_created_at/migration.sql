-- Live updates (/api/live) count the alerts raised since a page was rendered, every few seconds
-- per open page: an index probe instead of a scan of every alert.
CREATE INDEX "alert_created_at_idx" ON "alert" ("created_at");
