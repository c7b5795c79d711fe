-- Host identity (lib/ecs/host-identity.ts): the machine a host.name denotes. Events read from files
-- carry the event's <Computer> as Windows wrote it ("IEWIN7.corp.local"); Elastic Agent documents
-- carry the collector's hostname, often the short lower-cased name ("iewin7"). Both meet on the
-- lower-cased first DNS label; an IP address is kept whole. A stored generated column, so it can
-- never disagree with host_name, indexed for the host timeline and related alerts.
ALTER TABLE "event" ADD COLUMN "host_key" TEXT GENERATED ALWAYS AS (
  CASE WHEN "host_name" ~ '^[0-9.]+$' OR position(':' in "host_name") > 0 THEN lower("host_name")
       ELSE lower(split_part("host_name", '.', 1)) END
) STORED;
CREATE INDEX "event_host_key_timestamp_idx" ON "event" ("host_key", "timestamp");

ALTER TABLE "alert" ADD COLUMN "host_key" TEXT GENERATED ALWAYS AS (
  CASE WHEN "host_name" ~ '^[0-9.]+$' OR position(':' in "host_name") > 0 THEN lower("host_name")
       ELSE lower(split_part("host_name", '.', 1)) END
) STORED;
CREATE INDEX "alert_host_key_idx" ON "alert" ("host_key");
