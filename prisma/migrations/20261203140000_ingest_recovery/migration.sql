-- Ingest faults (issue 16) and set-based detection (issue 19).
--
-- heartbeat_at: a running ingest touches its job with every batch and every 20 s meanwhile; a job
-- still 'running' whose heartbeat is older than the stale limit belongs to a process that died
-- (kill -9, power loss) and is marked failed at start-up and by the worker's sweep.
ALTER TABLE "ingest_job" ADD COLUMN "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- replaced: how many characters PostgreSQL cannot store (U+0000, UTF-16 surrogates that are not a
-- pair) the ingest stored as U+FFFD; the records themselves are kept.
ALTER TABLE "ingest_job" ADD COLUMN "replaced" INTEGER NOT NULL DEFAULT 0;

-- Events of an ingest's input that were stored already (by an earlier, maybe crashed, ingest of
-- the same file) and that the rule's SQL selects: the rule run after the ingest covers them too,
-- so a re-sent file gives every matching event its alert (alert ids derive from rule + event, so
-- events that had one already get no second).
CREATE TABLE "ingest_job_duplicate" (
    "job_id" UUID NOT NULL,
    "event_id" BIGINT NOT NULL,

    CONSTRAINT "ingest_job_duplicate_pkey" PRIMARY KEY ("job_id", "event_id")
);

ALTER TABLE "ingest_job_duplicate" ADD CONSTRAINT "ingest_job_duplicate_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "ingest_job"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ingest_job_duplicate" ADD CONSTRAINT "ingest_job_duplicate_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "event"("id") ON DELETE CASCADE ON UPDATE CASCADE;
