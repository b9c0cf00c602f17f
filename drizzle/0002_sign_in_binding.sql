ALTER TABLE `oauth_states` ADD `completion_secret_hash` text;--> statement-breakpoint
ALTER TABLE `oauth_states` ADD `browser_binding_hash` text;--> statement-breakpoint
ALTER TABLE `oauth_states` ADD `authorization_url_encrypted` text;