ALTER TABLE "oauth_states" ADD COLUMN "completion_secret_hash" text;--> statement-breakpoint
ALTER TABLE "oauth_states" ADD COLUMN "browser_binding_hash" text;--> statement-breakpoint
ALTER TABLE "oauth_states" ADD COLUMN "authorization_url_encrypted" text;