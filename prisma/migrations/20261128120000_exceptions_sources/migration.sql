-- CreateTable
CREATE TABLE "rule_exception" (
    "id" UUID NOT NULL,
    "rule_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "conditions" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "expires_at" TIMESTAMPTZ(3),
    "hits" INTEGER NOT NULL DEFAULT 0,
    "last_hit_at" TIMESTAMPTZ(3),
    "item_id" TEXT,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rule_exception_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_source" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "auth_type" TEXT NOT NULL DEFAULT 'none',
    "username" TEXT,
    "secret_enc" TEXT,
    "ca_cert" TEXT,
    "tls_verify" BOOLEAN NOT NULL DEFAULT true,
    "index_patterns" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "mode" TEXT NOT NULL DEFAULT 'poll',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "poll_interval_sec" INTEGER NOT NULL DEFAULT 60,
    "checkpoint" TIMESTAMPTZ(3),
    "health" TEXT NOT NULL DEFAULT 'unknown',
    "last_error" TEXT,
    "last_polled_at" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "documents_taken" BIGINT NOT NULL DEFAULT 0,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_source_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "rule_exception_item_id_key" ON "rule_exception"("item_id");

-- CreateIndex
CREATE INDEX "rule_exception_rule_id_enabled_idx" ON "rule_exception"("rule_id", "enabled");
