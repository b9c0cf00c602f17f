-- Reviewed rollback of 0001_expiry_active_index: the expiry index goes back to access_token_expires_at alone.
DROP INDEX IF EXISTS `beta_microsoft_oauth_tokens_expiry_active_idx`;
DROP INDEX IF EXISTS `microsoft_oauth_tokens_expiry_active_idx`;
CREATE INDEX IF NOT EXISTS `beta_microsoft_oauth_tokens_expiry_idx` ON `beta_microsoft_oauth_tokens` (`access_token_expires_at`);
CREATE INDEX IF NOT EXISTS `microsoft_oauth_tokens_expiry_idx` ON `microsoft_oauth_tokens` (`access_token_expires_at`);
