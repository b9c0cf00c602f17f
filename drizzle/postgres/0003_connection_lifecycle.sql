CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"payload" text NOT NULL,
	"created_at" bigint NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"claimed_until" bigint,
	"delivered_at" bigint,
	"failed_at" bigint,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "beta_microsoft_oauth_tokens" ADD COLUMN "status" text DEFAULT 'ACTIVE' NOT NULL;--> statement-breakpoint
ALTER TABLE "beta_microsoft_oauth_tokens" ADD COLUMN "refresh_failing_since" bigint;--> statement-breakpoint
ALTER TABLE "beta_microsoft_oauth_tokens" ADD COLUMN "next_refresh_at" bigint;--> statement-breakpoint
ALTER TABLE "microsoft_oauth_tokens" ADD COLUMN "status" text DEFAULT 'ACTIVE' NOT NULL;--> statement-breakpoint
ALTER TABLE "microsoft_oauth_tokens" ADD COLUMN "refresh_failing_since" bigint;--> statement-breakpoint
ALTER TABLE "microsoft_oauth_tokens" ADD COLUMN "next_refresh_at" bigint;--> statement-breakpoint
CREATE INDEX "webhook_outbox_due_idx" ON "webhook_outbox" USING btree ("delivered_at","failed_at","next_attempt_at");--> statement-breakpoint
CREATE INDEX "webhook_outbox_created_idx" ON "webhook_outbox" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "beta_microsoft_oauth_tokens_sweep_idx" ON "beta_microsoft_oauth_tokens" USING btree ("status","last_refreshed_at");--> statement-breakpoint
CREATE INDEX "microsoft_oauth_tokens_sweep_idx" ON "microsoft_oauth_tokens" USING btree ("status","last_refreshed_at");--> statement-breakpoint
UPDATE "microsoft_oauth_tokens" SET "status" = 'NEEDS_RECONNECT' WHERE "needs_reconnect" OR NOT "is_active";--> statement-breakpoint
UPDATE "beta_microsoft_oauth_tokens" SET "status" = 'NEEDS_RECONNECT' WHERE "needs_reconnect" OR NOT "is_active";
