-- Reviewed rollback of 0000_init (PostgreSQL): drops every table it created, children before parents, in the schema on the search_path.
-- The identity sequence of token_events goes with its table.
DROP TABLE IF EXISTS "token_events";
DROP TABLE IF EXISTS "beta_microsoft_oauth_tokens";
DROP TABLE IF EXISTS "microsoft_oauth_tokens";
DROP TABLE IF EXISTS "oauth_states";
DROP TABLE IF EXISTS "sessions";
DROP TABLE IF EXISTS "users";
