-- Reviewed rollback of 0002_sign_in_binding (PostgreSQL): pending sign-ins lose their completion secret, browser binding
-- and stored authorization URL, in the schema on the search_path. Sign-ins pending at that moment cannot be completed.
ALTER TABLE "oauth_states" DROP COLUMN IF EXISTS "authorization_url_encrypted";
ALTER TABLE "oauth_states" DROP COLUMN IF EXISTS "browser_binding_hash";
ALTER TABLE "oauth_states" DROP COLUMN IF EXISTS "completion_secret_hash";
