// Builds every repository and service of the gateway from the configuration and an open database.
import type { Logger } from 'pino';
import { ChannelResolver } from './channels/channel-resolver';
import type { GatewayConfig } from './config/config.types';
import { createTokenCipher } from './crypto/token-cipher';
import type { OpenedDatabase } from './db/database';
import { HealthService } from './health/health.service';
import { HousekeepingService } from './housekeeping/housekeeping.service';
import { SqliteTokenStatsRepository, type TokenStatsRepository } from './health/token-stats.repository';
import { TokenStatsService } from './health/token-stats.service';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { SqliteSessionsRepository, type SessionsRepository } from './sessions/sessions.repository';
import { sessionTokenHasher } from './sessions/session-token-hash';
import { SessionService } from './sessions/sessions.service';
import { TokenVault } from './tokens/token-vault';
import { SqliteTokensRepository, type TokensRepository } from './tokens/tokens.repository';
import { CachedUsersRepository } from './users/cached-users.repository';
import { SqliteUsersRepository, type UsersRepository } from './users/users.repository';
import { AccountService } from './auth/account.service';
import { SqliteOauthStatesRepository, type OauthStatesRepository } from './auth/oauth-states.repository';
import { SignInService } from './auth/sign-in.service';
import { BrowserBindingService } from './auth/browser-binding.service';
import { MsalClients } from './microsoft/msal-clients';
import { EncryptedCachePartitions } from './tokens/cache-partitions';
import { TokenService } from './tokens/token.service';
import { CalendarService } from './calendar/calendar.service';
import { MicrosoftProfileService } from './calendar/microsoft-profile.service';
import { GraphClients } from './microsoft/graph-client';
import type { ScaleOut } from './scale/scale-out';

export type GatewayServices = Awaited<ReturnType<typeof buildServices>>;

export interface ServiceOptions {
  /** OpenID metadata per tenant, only when running against the in-process sandbox (msal-node fetches it otherwise). */
  authorityMetadata?: (tenant: string) => string;
  /** What several instances share through Redis (REDIS_URL); without it each instance keeps its own memory only. */
  scaleOut?: ScaleOut;
  /** The public base URL once the server listens (PUBLIC_URL, with the bound port when it names port 0). */
  publicUrl?: () => string;
}

export interface Repositories {
  users: UsersRepository;
  sessions: SessionsRepository;
  oauthStates: OauthStatesRepository;
  tokens: TokensRepository;
  tokenStats: TokenStatsRepository;
}

/** The one place that picks storage implementations by dialect; every service sees only the interfaces. */
export async function buildRepositories(database: OpenedDatabase): Promise<Repositories> {
  if (database.dialect === 'postgres') {
    // Loaded only for PostgreSQL, as its driver is (src/db/database.ts).
    const { postgresRepositories } = await import('./repositories.postgres');
    return postgresRepositories(database);
  }
  return {
    users: new SqliteUsersRepository(database.db),
    sessions: new SqliteSessionsRepository(database.db),
    oauthStates: new SqliteOauthStatesRepository(database.db),
    tokens: new SqliteTokensRepository(database.db),
    tokenStats: new SqliteTokenStatsRepository(database.sqlite),
  };
}

export async function buildServices(config: GatewayConfig, database: OpenedDatabase, logger: Logger, options: ServiceOptions = {}) {
  const cipher = createTokenCipher(config.secretKey, config.tokenEncryptionKeys);
  const repositories = await buildRepositories(database);
  const { tokens } = repositories;
  // Read by every authenticated viewer; sign-in writes go through it and drop the cached row.
  const users = new CachedUsersRepository(repositories.users);
  const sessions = new SessionService(repositories.sessions, {
    ttlSeconds: config.sessionTtlSeconds,
    hashToken: sessionTokenHasher(config.secretKey),
    onFlushFailure: (error) => logger.warn({ err: { type: (error as Error)?.name } }, 'could not record when sessions were last seen'),
    invalidations: options.scaleOut?.invalidations,
  });
  const health = new HealthService(config, database.probe);
  const channels = new ChannelResolver(config);
  // Report hooks for every capability: metrics.onGraphCall, onTokenRefresh, onSessionOpened, onRateLimited.
  const metrics = new GatewayMetrics();
  const tokenStats = new TokenStatsService(repositories.tokenStats);
  const vault = new TokenVault(cipher);
  const msalClients = new MsalClients(config, new EncryptedCachePartitions(tokens, vault), { authorityMetadata: options.authorityMetadata });
  const tokenService = new TokenService({
    tokens, vault, clients: msalClients, channels, logger,
    refreshLock: options.scaleOut?.refreshLock, invalidations: options.scaleOut?.invalidations,
    onRefresh: (observation) => metrics.onTokenRefresh(observation),
  });
  options.scaleOut?.dropInvalidatedEntries({ sessions, tokens: tokenService });
  const signIn = new SignInService({
    channels, clients: msalClients, states: repositories.oauthStates, cipher, users, tokens, tokenService, sessions,
    allowedReturnOrigins: config.allowedReturnOrigins, publicUrl: options.publicUrl ?? (() => config.publicUrl),
    logger, onSessionOpened: () => metrics.onSessionOpened(),
  });
  const browserBinding = new BrowserBindingService(repositories.oauthStates, cipher);
  const accounts = new AccountService(config, users, tokenService, sessions);
  const graph = new GraphClients({
    config, tokens: tokenService, onGraphCall: (route, status, durationMs) => metrics.onGraphCall({ route, status, durationMs }),
    sharedMailboxSlots: options.scaleOut?.mailboxSlots,
  });
  const calendar = new CalendarService(graph, config.secretKey);
  const microsoftProfile = new MicrosoftProfileService(graph);
  const housekeeping = new HousekeepingService({ sessions: repositories.sessions, signInStates: repositories.oauthStates, logger });
  return {
    config, logger, cipher, vault, channels, users, tokens, sessions, health, metrics, tokenStats,
    msalClients, tokenService, signIn, browserBinding, accounts, graph, calendar, microsoftProfile, housekeeping,
  };
}

