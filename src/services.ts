// Builds every repository and service of the gateway from the configuration and an open database.
import type { Logger } from 'pino';
import { ChannelResolver } from './channels/channel-resolver';
import type { GatewayConfig } from './config/config.types';
import { createTokenCipher } from './crypto/token-cipher';
import type { OpenedDatabase } from './db/database';
import { sqliteProbe } from './health/database-probe';
import { HealthService } from './health/health.service';
import { SqliteTokenStatsRepository } from './health/token-stats.repository';
import { TokenStatsService } from './health/token-stats.service';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { SqliteSessionsRepository } from './sessions/sessions.repository';
import { SessionService } from './sessions/sessions.service';
import { TokenVault } from './tokens/token-vault';
import { SqliteTokensRepository } from './tokens/tokens.repository';
import { SqliteUsersRepository } from './users/users.repository';
import { AccountService } from './auth/account.service';
import { SqliteOauthStatesRepository } from './auth/oauth-states.repository';
import { SignInService } from './auth/sign-in.service';
import { MsalClients } from './microsoft/msal-clients';
import { EncryptedCachePartitions } from './tokens/cache-partitions';
import { TokenService } from './tokens/token.service';
import { CalendarService } from './calendar/calendar.service';
import { MicrosoftProfileService } from './calendar/microsoft-profile.service';
import { GraphClients } from './microsoft/graph-client';

export type GatewayServices = ReturnType<typeof buildServices>;

export interface ServiceOptions {
  /** OpenID metadata per tenant, only when running against the in-process sandbox (msal-node fetches it otherwise). */
  authorityMetadata?: (tenant: string) => string;
}

export function buildServices(config: GatewayConfig, database: OpenedDatabase, logger: Logger, options: ServiceOptions = {}) {
  const cipher = createTokenCipher(config.secretKey, config.tokenEncryptionKeys);
  const users = new SqliteUsersRepository(database.db);
  const tokens = new SqliteTokensRepository(database.db);
  const sessions = new SessionService(new SqliteSessionsRepository(database.db), {
    ttlSeconds: config.sessionTtlSeconds,
    onFlushFailure: (error) => logger.warn({ err: { type: (error as Error)?.name } }, 'could not record when sessions were last seen'),
  });
  const health = new HealthService(config, sqliteProbe(database.sqlite));
  const channels = new ChannelResolver(config);
  // Report hooks for every capability: metrics.onGraphCall, onTokenRefresh, onSessionOpened, onRateLimited.
  const metrics = new GatewayMetrics();
  const tokenStats = new TokenStatsService(new SqliteTokenStatsRepository(database.sqlite), config.adminToken);
  const vault = new TokenVault(cipher);
  const msalClients = new MsalClients(config, new EncryptedCachePartitions(tokens, vault), { authorityMetadata: options.authorityMetadata });
  const tokenService = new TokenService({ tokens, vault, clients: msalClients, channels, logger });
  const signIn = new SignInService({
    channels, clients: msalClients, states: new SqliteOauthStatesRepository(database.db), cipher, users, tokens, tokenService, sessions,
    allowedReturnOrigins: config.allowedReturnOrigins, logger,
  });
  const accounts = new AccountService(config, channels, users, tokenService, sessions);
  const graph = new GraphClients({
    config, tokens: tokenService, onGraphCall: (route, status, durationMs) => metrics.onGraphCall({ route, status, durationMs }),
  });
  const calendar = new CalendarService(graph, channels, config.secretKey);
  const microsoftProfile = new MicrosoftProfileService(graph, channels);
  return {
    config, logger, cipher, vault, channels, users, tokens, sessions, health, metrics, tokenStats,
    msalClients, tokenService, signIn, accounts, graph, calendar, microsoftProfile,
  };
}

