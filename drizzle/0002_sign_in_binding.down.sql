-- Reviewed rollback of 0002_sign_in_binding: pending sign-ins lose their completion secret, browser binding and
-- stored authorization URL (SQLite 3.35+ drops columns in place). Sign-ins pending at that moment cannot be completed.
ALTER TABLE `oauth_states` DROP COLUMN `authorization_url_encrypted`;
ALTER TABLE `oauth_states` DROP COLUMN `browser_binding_hash`;
ALTER TABLE `oauth_states` DROP COLUMN `completion_secret_hash`;
