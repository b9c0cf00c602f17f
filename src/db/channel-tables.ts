// The one place that maps a channel to its token table, in each dialect.
import { Channel } from '../config/channels';
import * as postgres from './schema.postgres';
import * as sqlite from './schema.sqlite';

const tokenTables = {
  [Channel.MAIN]: { sqlite: sqlite.microsoftOauthTokens, postgres: postgres.microsoftOauthTokens },
  [Channel.BETA]: { sqlite: sqlite.betaMicrosoftOauthTokens, postgres: postgres.betaMicrosoftOauthTokens },
} satisfies Record<Channel, { sqlite: sqlite.MicrosoftTokenTable; postgres: postgres.PostgresTokenTable }>;

export function tokenTableFor(channel: Channel): sqlite.MicrosoftTokenTable {
  return tokenTables[channel].sqlite;
}

export function postgresTokenTableFor(channel: Channel): postgres.PostgresTokenTable {
  return tokenTables[channel].postgres;
}
