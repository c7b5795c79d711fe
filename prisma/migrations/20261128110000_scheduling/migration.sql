-- AlterTable
ALTER TABLE "rule_run" ADD COLUMN "window_key" TEXT,
ADD COLUMN "backfill_id" UUID;

-- CreateTable
CREATE TABLE "backfill" (
    "id" UUID NOT NULL,
    "rule_id" TEXT NOT NULL,
    "range_start" TIMESTAMPTZ(3) NOT NULL,
    "range_end" TIMESTAMPTZ(3) NOT NULL,
    "capped" BOOLEAN NOT NULL DEFAULT true,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "windows_total" INTEGER NOT NULL,
    "windows_done" INTEGER NOT NULL DEFAULT 0,
    "alerts_created" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "requested_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "backfill_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "rule_run_window_key_key" ON "rule_run"("window_key");

-- CreateIndex
CREATE INDEX "rule_run_backfill_id_idx" ON "rule_run"("backfill_id");

-- CreateIndex
CREATE INDEX "backfill_created_at_idx" ON "backfill"("created_at");

-- AddForeignKey
ALTER TABLE "rule_run" ADD CONSTRAINT "rule_run_backfill_id_fkey" FOREIGN KEY ("backfill_id") REFERENCES "backfill"("id") ON DELETE SET NULL ON UPDATE CASCADE;
