CREATE TABLE `calendar_syncs` (
	`user_id` text NOT NULL,
	`channel` text NOT NULL,
	`subscription_id` text,
	`client_state_encrypted` text,
	`subscription_expires_at` integer,
	`delta_link_encrypted` text,
	`window_start` integer NOT NULL,
	`window_end` integer NOT NULL,
	`is_current` integer DEFAULT false NOT NULL,
	`listeners_until` integer,
	`lease_owner` text,
	`lease_until` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_syncs_user_channel_idx` ON `calendar_syncs` (`user_id`,`channel`);--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_syncs_subscription_idx` ON `calendar_syncs` (`subscription_id`);--> statement-breakpoint
CREATE TABLE `synced_events` (
	`user_id` text NOT NULL,
	`channel` text NOT NULL,
	`event_id` text NOT NULL,
	`event_encrypted` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `synced_events_user_channel_event_idx` ON `synced_events` (`user_id`,`channel`,`event_id`);