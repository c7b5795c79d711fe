-- The rule run after an upload runs in the worker, not in the upload's request: the job says where
-- it stands, durably, so a run whose worker died is claimed again (lib/services/ingest-detection.ts).
-- detection: NULL = no rule run for this job (the ingest failed, or a bulk load runs its own),
-- 'pending' (queued), 'running' (claimed; heartbeat_at is touched while it runs), 'succeeded',
-- 'failed' (detection_message says why), 'disabled' (the rule was off: events stored, unchecked).
ALTER TABLE "ingest_job" ADD COLUMN "detection" TEXT
  CHECK ("detection" IN ('pending', 'running', 'succeeded', 'failed', 'disabled'));
ALTER TABLE "ingest_job" ADD COLUMN "detection_finished_at" TIMESTAMPTZ(3);
ALTER TABLE "ingest_job" ADD COLUMN "detection_message" TEXT;
-- the sweep looks for unfinished rule runs
CREATE INDEX "ingest_job_detection_idx" ON "ingest_job" ("detection") WHERE "detection" IN ('pending', 'running');
