// The one place that maps a channel to its PostgreSQL token table; apart from SQLite's so that neither loads the other.
import { Channel } from '../config/channels';
import * as postgres from './schema.postgres';

const tokenTables = {
  [Channel.MAIN]: postgres.microsoftOauthTokens,
  [Channel.BETA]: postgres.betaMicrosoftOauthTokens,
} satisfies Record<Channel, postgres.PostgresTokenTable>;

export function postgresTokenTableFor(channel: Channel): postgres.PostgresTokenTable {
  return tokenTables[channel];
}
