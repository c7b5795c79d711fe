-- The alerts page filters host, user and consumer case-insensitively (lower(column) = lower($1),
-- lib/data/alert-list.ts): an index probe for one host or user instead of a scan of every alert
-- (bench:scale, 100,000 alerts: one host 604 ms, one user 1,099 ms, each a sequential scan).
-- Expression indexes: schema.prisma cannot express them (noted on the Alert model).
CREATE INDEX "alert_lower_host_name_idx" ON "alert" (lower("host_name"));
CREATE INDEX "alert_lower_user_name_idx" ON "alert" (lower("user_name"));
CREATE INDEX "alert_lower_consumer_name_idx" ON "alert" (lower("consumer_name"));
