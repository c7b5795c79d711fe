-- The ingest job a rule run of kind 'ingest' ran for. A job's rule run can be attempted more than
-- once (its worker died and the sweep ran it again); the job's alert count is then every alert its
-- attempts created, not only the last attempt's (lib/services/ingest-sweep.ts). No foreign key:
-- run history outlives the jobs retention may remove.
ALTER TABLE "rule_run" ADD COLUMN "ingest_job_id" UUID;
CREATE INDEX "rule_run_ingest_job_id_idx" ON "rule_run" ("ingest_job_id");
