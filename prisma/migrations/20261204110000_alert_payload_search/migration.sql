-- The alerts page's search also finds the text hidden in a consumer's payload: payload_text holds
-- the decoded -EncodedCommand / base64 / inline script text of the consumer's command
-- (lib/triage/decode-payload.ts, written with the alert), and search_text now includes it.
-- search_text is a stored generated column, so it is dropped and added again (with its index).
ALTER TABLE "alert" ADD COLUMN "payload_text" TEXT;

DROP INDEX IF EXISTS "alert_search_text_idx";
ALTER TABLE "alert" DROP COLUMN "search_text";
ALTER TABLE "alert" ADD COLUMN "search_text" TEXT GENERATED ALWAYS AS (
  lower(coalesce("host_name", '') || E'\x01' || coalesce("user_name", '') || E'\x01' || coalesce("consumer_name", '') || E'\x01' || coalesce("command", '') || E'\x01' || "reason" || E'\x01' || coalesce("payload_text", ''))
) STORED;
CREATE INDEX "alert_search_text_idx" ON "alert" USING gin ("search_text" gin_trgm_ops);
