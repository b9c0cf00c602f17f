CREATE TABLE "calendar_syncs" (
	"user_id" text NOT NULL,
	"channel" text NOT NULL,
	"subscription_id" text,
	"client_state_encrypted" text,
	"subscription_expires_at" bigint,
	"delta_link_encrypted" text,
	"window_start" bigint NOT NULL,
	"window_end" bigint NOT NULL,
	"is_current" boolean DEFAULT false NOT NULL,
	"listeners_until" bigint,
	"lease_owner" text,
	"lease_until" bigint,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "synced_events" (
	"user_id" text NOT NULL,
	"channel" text NOT NULL,
	"event_id" text NOT NULL,
	"event_encrypted" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calendar_syncs" ADD CONSTRAINT "calendar_syncs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "synced_events" ADD CONSTRAINT "synced_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_syncs_user_channel_idx" ON "calendar_syncs" USING btree ("user_id","channel");--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_syncs_subscription_idx" ON "calendar_syncs" USING btree ("subscription_id");--> statement-breakpoint
CREATE UNIQUE INDEX "synced_events_user_channel_event_idx" ON "synced_events" USING btree ("user_id","channel","event_id");