-- Hunt (/hunt): EQL over the stored events, run by the worker with time and row limits.
-- hunt_run: one execution — the query, its time range and host, its progress and its hits
-- (event ids with the explanation of why each matched, in `hits`; sequences in `sequences`).
CREATE TABLE "hunt_run" (
    "id" UUID NOT NULL,
    "owner_id" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "range_start" TIMESTAMPTZ(3) NOT NULL,
    "range_end" TIMESTAMPTZ(3) NOT NULL,
    "host_key" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "row_limit" INTEGER NOT NULL,
    "time_limit_ms" INTEGER NOT NULL,
    "scanned" INTEGER NOT NULL DEFAULT 0,
    "hit_count" INTEGER NOT NULL DEFAULT 0,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "result" JSONB,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "hunt_run_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "hunt_run_owner_id_created_at_idx" ON "hunt_run"("owner_id", "created_at");

-- saved_hunt: a named query, private to its owner or shared with every hunter.
CREATE TABLE "saved_hunt" (
    "id" UUID NOT NULL,
    "owner_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "saved_hunt_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "saved_hunt_owner_id_name_key" ON "saved_hunt"("owner_id", "name");

-- hunt_pin: an event a hunt found, pinned as evidence to an alert or a case.
CREATE TABLE "hunt_pin" (
    "id" UUID NOT NULL,
    "event_id" BIGINT NOT NULL,
    "alert_id" TEXT,
    "case_id" UUID,
    "query" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "pinned_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hunt_pin_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "hunt_pin_alert_id_idx" ON "hunt_pin"("alert_id");
CREATE INDEX "hunt_pin_case_id_idx" ON "hunt_pin"("case_id");
