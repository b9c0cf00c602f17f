-- Reviewed rollback of 0003_connection_lifecycle (PostgreSQL), in the schema on the search_path: connections lose their
-- status and failure timestamps (is_active and needs_reconnect, kept in step with the status, still tell who must sign in
-- again); undelivered webhooks and the sweep lease are dropped, so events not yet delivered are never sent.
DROP INDEX IF EXISTS "microsoft_oauth_tokens_sweep_idx";
DROP INDEX IF EXISTS "beta_microsoft_oauth_tokens_sweep_idx";
ALTER TABLE "microsoft_oauth_tokens" DROP COLUMN IF EXISTS "next_refresh_at";
ALTER TABLE "microsoft_oauth_tokens" DROP COLUMN IF EXISTS "refresh_failing_since";
ALTER TABLE "microsoft_oauth_tokens" DROP COLUMN IF EXISTS "status";
ALTER TABLE "beta_microsoft_oauth_tokens" DROP COLUMN IF EXISTS "next_refresh_at";
ALTER TABLE "beta_microsoft_oauth_tokens" DROP COLUMN IF EXISTS "refresh_failing_since";
ALTER TABLE "beta_microsoft_oauth_tokens" DROP COLUMN IF EXISTS "status";
DROP TABLE IF EXISTS "webhook_outbox";
DROP TABLE IF EXISTS "leases";
