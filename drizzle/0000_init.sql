CREATE TABLE `beta_microsoft_oauth_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`microsoft_user_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`home_account_id` text NOT NULL,
	`email` text,
	`display_name` text,
	`token_cache_encrypted` text NOT NULL,
	`scopes` text DEFAULT '' NOT NULL,
	`access_token_expires_at` integer,
	`last_used_at` integer,
	`last_refreshed_at` integer,
	`refresh_failure_count` integer DEFAULT 0 NOT NULL,
	`last_error_code` text,
	`is_active` integer DEFAULT true NOT NULL,
	`needs_reconnect` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `beta_microsoft_oauth_tokens_user_idx` ON `beta_microsoft_oauth_tokens` (`user_id`);--> statement-breakpoint
CREATE INDEX `beta_microsoft_oauth_tokens_microsoft_user_idx` ON `beta_microsoft_oauth_tokens` (`tenant_id`,`microsoft_user_id`);--> statement-breakpoint
CREATE INDEX `beta_microsoft_oauth_tokens_email_idx` ON `beta_microsoft_oauth_tokens` (`email`);--> statement-breakpoint
CREATE INDEX `beta_microsoft_oauth_tokens_expiry_idx` ON `beta_microsoft_oauth_tokens` (`access_token_expires_at`);--> statement-breakpoint
CREATE INDEX `beta_microsoft_oauth_tokens_state_idx` ON `beta_microsoft_oauth_tokens` (`is_active`,`needs_reconnect`);--> statement-breakpoint
CREATE TABLE `microsoft_oauth_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`microsoft_user_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`home_account_id` text NOT NULL,
	`email` text,
	`display_name` text,
	`token_cache_encrypted` text NOT NULL,
	`scopes` text DEFAULT '' NOT NULL,
	`access_token_expires_at` integer,
	`last_used_at` integer,
	`last_refreshed_at` integer,
	`refresh_failure_count` integer DEFAULT 0 NOT NULL,
	`last_error_code` text,
	`is_active` integer DEFAULT true NOT NULL,
	`needs_reconnect` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `microsoft_oauth_tokens_user_idx` ON `microsoft_oauth_tokens` (`user_id`);--> statement-breakpoint
CREATE INDEX `microsoft_oauth_tokens_microsoft_user_idx` ON `microsoft_oauth_tokens` (`tenant_id`,`microsoft_user_id`);--> statement-breakpoint
CREATE INDEX `microsoft_oauth_tokens_email_idx` ON `microsoft_oauth_tokens` (`email`);--> statement-breakpoint
CREATE INDEX `microsoft_oauth_tokens_expiry_idx` ON `microsoft_oauth_tokens` (`access_token_expires_at`);--> statement-breakpoint
CREATE INDEX `microsoft_oauth_tokens_state_idx` ON `microsoft_oauth_tokens` (`is_active`,`needs_reconnect`);--> statement-breakpoint
CREATE TABLE `oauth_states` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`code_verifier_encrypted` text NOT NULL,
	`nonce` text NOT NULL,
	`return_to` text,
	`link_user_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`consumed_at` integer,
	FOREIGN KEY (`link_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `oauth_states_expires_idx` ON `oauth_states` (`expires_at`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`last_seen_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_token_hash_idx` ON `sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `token_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`user_id` text,
	`kind` text NOT NULL,
	`error_code` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `token_events_channel_kind_time_idx` ON `token_events` (`channel`,`kind`,`created_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`microsoft_user_id` text NOT NULL,
	`display_name` text,
	`email` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_identity_idx` ON `users` (`tenant_id`,`microsoft_user_id`);