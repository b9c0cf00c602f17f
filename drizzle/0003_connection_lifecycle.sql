CREATE TABLE `leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claimed_until` integer,
	`delivered_at` integer,
	`failed_at` integer,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `webhook_outbox_due_idx` ON `webhook_outbox` (`delivered_at`,`failed_at`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `webhook_outbox_created_idx` ON `webhook_outbox` (`created_at`);--> statement-breakpoint
ALTER TABLE `beta_microsoft_oauth_tokens` ADD `status` text DEFAULT 'ACTIVE' NOT NULL;--> statement-breakpoint
ALTER TABLE `beta_microsoft_oauth_tokens` ADD `refresh_failing_since` integer;--> statement-breakpoint
ALTER TABLE `beta_microsoft_oauth_tokens` ADD `next_refresh_at` integer;--> statement-breakpoint
CREATE INDEX `beta_microsoft_oauth_tokens_sweep_idx` ON `beta_microsoft_oauth_tokens` (`status`,`last_refreshed_at`);--> statement-breakpoint
ALTER TABLE `microsoft_oauth_tokens` ADD `status` text DEFAULT 'ACTIVE' NOT NULL;--> statement-breakpoint
ALTER TABLE `microsoft_oauth_tokens` ADD `refresh_failing_since` integer;--> statement-breakpoint
ALTER TABLE `microsoft_oauth_tokens` ADD `next_refresh_at` integer;--> statement-breakpoint
CREATE INDEX `microsoft_oauth_tokens_sweep_idx` ON `microsoft_oauth_tokens` (`status`,`last_refreshed_at`);--> statement-breakpoint
UPDATE `microsoft_oauth_tokens` SET `status` = 'NEEDS_RECONNECT' WHERE `needs_reconnect` = 1 OR `is_active` = 0;--> statement-breakpoint
UPDATE `beta_microsoft_oauth_tokens` SET `status` = 'NEEDS_RECONNECT' WHERE `needs_reconnect` = 1 OR `is_active` = 0;
