DROP INDEX `beta_microsoft_oauth_tokens_expiry_idx`;--> statement-breakpoint
CREATE INDEX `beta_microsoft_oauth_tokens_expiry_active_idx` ON `beta_microsoft_oauth_tokens` (`access_token_expires_at`,`is_active`);--> statement-breakpoint
DROP INDEX `microsoft_oauth_tokens_expiry_idx`;--> statement-breakpoint
CREATE INDEX `microsoft_oauth_tokens_expiry_active_idx` ON `microsoft_oauth_tokens` (`access_token_expires_at`,`is_active`);