-- Generic webhooks (lib/data/webhooks.ts): an admin's endpoint that receives case and assignment
-- events as signed JSON. The secret is sealed like event sources' secrets (lib/sources/secret-box).
CREATE TABLE "webhook" (
  "id" UUID NOT NULL PRIMARY KEY,
  "name" TEXT NOT NULL,
  "url" TEXT NOT NULL,
  "secret_enc" TEXT NOT NULL,
  "events" TEXT[] DEFAULT '{}',
  "enabled" BOOLEAN NOT NULL DEFAULT true,
  "created_by" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

-- One event for one webhook: written in the transaction of the change it reports (an outbox), so
-- it is neither lost nor sent for a change that rolled back; the worker sends due rows and
-- reschedules failures with exponential back-off until delivered or out of attempts.
CREATE TABLE "webhook_delivery" (
  "id" UUID NOT NULL PRIMARY KEY,
  "webhook_id" UUID NOT NULL REFERENCES "webhook" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "event" TEXT NOT NULL,
  "body" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'delivered', 'failed')),
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "last_attempt_at" TIMESTAMPTZ(3),
  "response_code" INTEGER,
  "last_error" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "delivered_at" TIMESTAMPTZ(3)
);
CREATE INDEX "webhook_delivery_due_idx" ON "webhook_delivery" ("next_attempt_at") WHERE "status" = 'pending';
CREATE INDEX "webhook_delivery_webhook_id_created_at_idx" ON "webhook_delivery" ("webhook_id", "created_at");
