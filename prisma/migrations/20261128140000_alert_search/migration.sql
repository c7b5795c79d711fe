-- Full-text search on the alerts page: one lower-cased text of the searchable columns, kept by
-- the database itself (a stored generated column: it can never disagree with the columns) and
-- indexed with trigrams, so a substring search ("%text%") uses the index when it is selective and
-- scans one short column instead of five ILIKEs when it is not. U+0001 separates the columns, so
-- a match never spans two of them (lib/data/alert-list.ts strips U+0001 from the search text).
-- pg_trgm ships with PostgreSQL's contrib and is trusted since PG 13 (a database owner may create
-- it); the embedded PGlite loads it in lib/db/embedded.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE "alert" ADD COLUMN "search_text" TEXT GENERATED ALWAYS AS (
  lower(coalesce("host_name", '') || E'\x01' || coalesce("user_name", '') || E'\x01' || coalesce("consumer_name", '') || E'\x01' || coalesce("command", '') || E'\x01' || "reason")
) STORED;

CREATE INDEX "alert_search_text_idx" ON "alert" USING gin ("search_text" gin_trgm_ops);
