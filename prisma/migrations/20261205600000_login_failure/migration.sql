-- Failed sign-in attempts, shared by every app instance on this database so that N instances do
-- not allow N times the guesses (lib/auth/login-rate-limit.ts). One row per failure: `scope` is
-- the limit it counts towards ('client': address + account, 'account': the account alone,
-- 'address': a known client address across accounts), `key` what it limits. A key's rows older
-- than its window are deleted when it fails again; a success deletes them.
CREATE TABLE "login_failure" (
  "id" BIGSERIAL PRIMARY KEY,
  "scope" TEXT NOT NULL CHECK ("scope" IN ('client', 'account', 'address')),
  "key" TEXT NOT NULL,
  "failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX "login_failure_scope_key_failed_at_idx" ON "login_failure" ("scope", "key", "failed_at");
CREATE INDEX "login_failure_failed_at_idx" ON "login_failure" ("failed_at");
