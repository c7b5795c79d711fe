-- The host's WMI subscription events (Sysmon 19/20/21, Elastic Defend API events), looked up by
-- host identity, oldest first, by every rule run and alert page (lib/data/host-subscription-events.ts,
-- whose WHERE repeats this predicate so the planner can use it): a partial index holds only them,
-- so storing other events never touches it.
CREATE INDEX "event_subscription_host_key_timestamp_idx" ON "event"("host_key", "timestamp", "id")
  WHERE "event_code" IN ('19', '20', '21') OR "dataset" = 'endpoint.events.api';
