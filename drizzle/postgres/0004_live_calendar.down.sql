-- Reviewed rollback of 0004_live_calendar (PostgreSQL): drops the synced calendar windows and the record of Graph
-- subscriptions, in the schema on the search_path. Graph keeps sending notifications for subscriptions that exist at
-- that moment until they expire (at most 7 days); the route refuses them as unknown.
DROP TABLE IF EXISTS "synced_events";
DROP TABLE IF EXISTS "calendar_syncs";
