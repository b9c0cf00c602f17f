// The one place that maps a channel to its token table.
import { Channel } from '../config/channels';
import { betaMicrosoftOauthTokens, microsoftOauthTokens, type MicrosoftTokenTable } from './schema.sqlite';

const tokenTables: Record<Channel, MicrosoftTokenTable> = {
  [Channel.MAIN]: microsoftOauthTokens,
  [Channel.BETA]: betaMicrosoftOauthTokens,
};

export function tokenTableFor(channel: Channel): MicrosoftTokenTable {
  return tokenTables[channel];
}
