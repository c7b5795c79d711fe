-- Every exception has a Kibana item_id from its creation, so our own export imported again
-- updates the same rows instead of adding copies. Exports before this used the row id as the
-- item_id of an exception without one: the backfill gives those rows exactly that value, so
-- files exported earlier still match.
UPDATE "rule_exception" SET "item_id" = "id"::text WHERE "item_id" IS NULL;
ALTER TABLE "rule_exception" ALTER COLUMN "item_id" SET NOT NULL;
