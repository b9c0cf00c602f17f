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
import { MeetingService } from './calendar/meeting.service';
import { CalendarsEventsService } from './calendar/calendars-events.service';
import { ScheduleService } from './calendar/schedule.service';
import { MicrosoftProfileService } from './calendar/microsoft-profile.service';
import { GraphClients } from './microsoft/graph-client';
import type { ScaleOut } from './scale/scale-out';
import { SqliteLeasesRepository, type LeasesRepository } from './lifecycle/leases.repository';
import { RefreshSweepService } from './lifecycle/refresh-sweep.service';
import { ALL_CHANNELS } from './config/channels';
import { SqliteWebhookOutboxRepository, type WebhookOutboxRepository } from './webhooks/webhook-outbox.repository';
import { WebhookDeliveryService } from './webhooks/webhook-delivery.service';
import { WebhookSender } from './webhooks/webhook-sender';
import { SqliteLiveCalendarRepository, type LiveCalendarRepository } from './live/live-calendar.repository';
import { buildLiveCalendar } from './live/live-calendar.module';

export type GatewayServices = Awaited<ReturnType<typeof buildServices>>;

export interface ServiceOptions {
  /** OpenID metadata per tenant, only when running against the in-process sandbox (msal-node fetches it otherwise). */
  authorityMetadata?: (tenant: string) => string;
  /** What several instances share through Redis (REDIS_URL); without it each instance keeps its own memory only. */
  scaleOut?: ScaleOut;
  /** The public base URL once the server listens (PUBLIC_URL, with the bound port when it names port 0). */
  publicUrl?: () => string;
  /** The clock of credential expiry and connection lifecycles (refreshes, the sweep, the outbox); tests drive it. */
  now?: () => number;
}

export interface Repositories {
  users: UsersRepository;
  sessions: SessionsRepository;
  oauthStates: OauthStatesRepository;
  tokens: TokensRepository;
  tokenStats: TokenStatsRepository;
  leases: LeasesRepository;
  webhookOutbox: WebhookOutboxRepository;
  liveCalendar: LiveCalendarRepository;
}

export interface RepositoryChoices {
  /** WEBHOOK_URL is set: status changes write their webhooks to the outbox. */
  recordsWebhooks?: boolean;
}

/** The one place that picks storage implementations by dialect; every service sees only the interfaces. */
export async function buildRepositories(database: OpenedDatabase, choices: RepositoryChoices = {}): Promise<Repositories> {
  if (database.dialect === 'postgres') {
    // Loaded only for PostgreSQL, as its driver is (src/db/database.ts).
    const { postgresRepositories } = await import('./repositories.postgres');
    return postgresRepositories(database, choices);
  }
  return {
    users: new SqliteUsersRepository(database.db),
    sessions: new SqliteSessionsRepository(database.db),
    oauthStates: new SqliteOauthStatesRepository(database.db),
    tokens: new SqliteTokensRepository(database.db, choices),
    tokenStats: new SqliteTokenStatsRepository(database.sqlite),
    leases: new SqliteLeasesRepository(database.db),
    webhookOutbox: new SqliteWebhookOutboxRepository(database.db),
    liveCalendar: new SqliteLiveCalendarRepository(database.db),
  };
}

export async function buildServices(config: GatewayConfig, database: OpenedDatabase, logger: Logger, options: ServiceOptions = {}) {
  const cipher = createTokenCipher(config.secretKey, config.tokenEncryptionKeys);
  const repositories = await buildRepositories(database, { recordsWebhooks: config.webhook !== undefined });
  const now = options.now ?? Date.now;
  const { tokens } = repositories;
  // Read by every authenticated viewer; sign-in writes go through it and drop the cached row.
  const users = new CachedUsersRepository(repositories.users);
  const sessions = new SessionService(repositories.sessions, {
    ttlSeconds: config.sessionTtlSeconds,
    hashToken: sessionTokenHasher(config.secretKey),
    onFlushFailure: (error) => logger.warn({ err: { type: (error as Error)?.name } }, 'could not record when sessions were last seen'),
    invalidations: options.scaleOut?.invalidations,
  });
  const health = new HealthService(config, database.probe, options.now);
  const channels = new ChannelResolver(config);
  // Report hooks for every capability: metrics.onGraphCall, onTokenRefresh, onSessionOpened, onRateLimited.
  const metrics = new GatewayMetrics();
  const tokenStats = new TokenStatsService(repositories.tokenStats);
  const vault = new TokenVault(cipher);
  const msalClients = new MsalClients(config, new EncryptedCachePartitions(tokens, vault, now), { authorityMetadata: options.authorityMetadata });
  const tokenService = new TokenService({
    tokens, vault, clients: msalClients, channels, logger,
    refreshLock: options.scaleOut?.refreshLock, invalidations: options.scaleOut?.invalidations,
    onRefresh: (observation) => metrics.onTokenRefresh(observation),
    now, giveUpAfterMs: config.refreshGiveUpAfterMs,
  });
  options.scaleOut?.dropInvalidatedEntries({ sessions, tokens: tokenService });
  const signIn = new SignInService({
    channels, clients: msalClients, states: repositories.oauthStates, cipher, users, tokens, tokenService, sessions,
    allowedReturnOrigins: config.allowedReturnOrigins, authorityHost: config.authorityHost, publicUrl: options.publicUrl ?? (() => config.publicUrl),
    logger, onSessionOpened: () => metrics.onSessionOpened(),
  });
  const browserBinding = new BrowserBindingService(repositories.oauthStates, cipher);
  const accounts = new AccountService(config, users, tokenService, sessions, (userId, channel) => live.service.tearDown(userId, channel));
  const graph = new GraphClients({
    config, tokens: tokenService, onGraphCall: (route, status, durationMs) => metrics.onGraphCall({ route, status, durationMs }),
    sharedMailboxSlots: options.scaleOut?.mailboxSlots,
  });
  const live = buildLiveCalendar({
    config, repository: repositories.liveCalendar, cipher, graph, logger, scaleOut: options.scaleOut,
    publicUrl: options.publicUrl ?? (() => config.publicUrl),
  });
  const calendar = new CalendarService(graph, config.secretKey, live.isEnabled ? live.sync : undefined);
  const microsoftProfile = new MicrosoftProfileService(graph);
  const meetings = new MeetingService(graph);
  const calendarsEvents = new CalendarsEventsService(graph, config.secretKey);
  const schedule = new ScheduleService(graph);
  const housekeeping = new HousekeepingService({ sessions: repositories.sessions, signInStates: repositories.oauthStates, logger });
  const refreshSweep = new RefreshSweepService({
    tokens, refresher: tokenService, leases: repositories.leases, logger, now, idleAfterMs: config.refreshIdleAfterMs,
    channels: ALL_CHANNELS.filter((channel) => config.channels[channel].isEnabled && config.channels[channel].isConfigured),
  });
  const webhookDelivery = new WebhookDeliveryService({
    outbox: repositories.webhookOutbox, sender: config.webhook && new WebhookSender(config.webhook.url, config.webhook.secret),
    logger, now, onAttempt: (outcome) => metrics.onWebhookAttempt(outcome),
  });
  return {
    config, logger, cipher, vault, channels, users, tokens, sessions, health, metrics, tokenStats,
    msalClients, tokenService, signIn, browserBinding, accounts, graph, calendar, meetings, microsoftProfile, housekeeping,
    refreshSweep, webhookDelivery, calendarsEvents, schedule, live,
  };
}

