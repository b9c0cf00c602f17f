// What every resolver knows about the request it serves.
import type { Logger } from 'pino';
import type { ChannelResolver } from '../channels/channel-resolver';

export interface RequestContext {
  requestId: string;
  /** The session's user, when the bearer token names a live session. */
  session?: { sessionId: string; userId: string };
  /** Whether a bearer token was sent at all (to tell "not signed in" from "bad token"). */
  hasBearerToken: boolean;
  clientAddress: string;
  adminToken?: string;
  logger: Logger;
  /** Turns a field's `channel` argument into that channel's settings (see @ChannelArg). */
  channels: ChannelResolver;
}

export interface AuthenticatedContext extends RequestContext {
  session: { sessionId: string; userId: string };
}
