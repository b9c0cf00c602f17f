// The one place that maps a channel to its SQLite token table (PostgreSQL's: channel-tables.postgres.ts).
import { Channel } from '../config/channels';
import * as sqlite from './schema.sqlite';

const tokenTables = {
  [Channel.MAIN]: sqlite.microsoftOauthTokens,
  [Channel.BETA]: sqlite.betaMicrosoftOauthTokens,
} satisfies Record<Channel, sqlite.MicrosoftTokenTable>;

export function tokenTableFor(channel: Channel): sqlite.MicrosoftTokenTable {
  return tokenTables[channel];
}
