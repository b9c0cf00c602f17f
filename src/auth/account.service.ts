// The signed-in user's view of themselves: viewer with connections, sign-out, and disconnecting a channel.
import { ALL_CHANNELS, type Channel } from '../config/channels';
import type { ChannelSettings, GatewayConfig } from '../config/config.types';
import type { SessionService } from '../sessions/sessions.service';
import type { ConnectionView, TokenService } from '../tokens/token.service';
import type { UsersRepository } from '../users/users.repository';
import type { MicrosoftConnection, Viewer } from './auth.types';

export class AccountService {
  constructor(
    private readonly config: Pick<GatewayConfig, 'channels'>,
    private readonly users: UsersRepository,
    private readonly tokenService: TokenService,
    private readonly sessions: SessionService,
    /** Deletes what the live calendar keeps for a connection (its Graph subscription, its synced events). */
    private readonly onDisconnected: (userId: string, channel: Channel) => Promise<void> = async () => undefined,
  ) {}

  /**
   * The user without their connections (the Viewer type's field resolver loads those only when a query asks);
   * undefined when the user no longer exists (deleted while a session was still cached).
   */
  async viewer(userId: string): Promise<Viewer | undefined> {
    const user = await this.users.findById(userId);
    return user ? { id: user.id, displayName: user.displayName, email: user.email } : undefined;
  }

  /** The user's connection on every enabled channel that has one. */
  async connections(userId: string): Promise<MicrosoftConnection[]> {
    const enabled = ALL_CHANNELS.filter((channel) => this.config.channels[channel].isEnabled);
    return (await Promise.all(enabled.map((channel) => this.connection(userId, channel)))).filter(
      (connection): connection is MicrosoftConnection => connection !== undefined,
    );
  }

  async connection(userId: string, channel: Channel): Promise<MicrosoftConnection | undefined> {
    const stored = await this.tokenService.connection(userId, channel);
    return stored && toConnection(stored);
  }

  async signOut(sessionId: string): Promise<boolean> {
    await this.sessions.revoke(sessionId);
    return true;
  }

  async disconnect(userId: string, { channel }: ChannelSettings): Promise<boolean> {
    // Before the tokens go: deleting the Graph subscription needs them.
    await this.onDisconnected(userId, channel).catch(() => undefined);
    return this.tokenService.disconnect(userId, channel);
  }
}

export function toConnection(stored: ConnectionView): MicrosoftConnection {
  return {
    channel: stored.channel,
    microsoftUserId: stored.microsoftUserId,
    tenantId: stored.tenantId,
    email: stored.email,
    displayName: stored.displayName,
    scopes: stored.scopes,
    connectedAt: stored.createdAt,
    lastUsedAt: stored.lastUsedAt,
    accessTokenExpiresAt: stored.accessTokenExpiresAt,
    active: stored.isActive,
    needsReconnect: stored.needsReconnect,
    status: stored.status,
    lastRefreshedAt: stored.lastRefreshedAt,
  };
}
