// The PostgreSQL implementations of the repositories: loaded only when DATABASE_URL is postgres:// (see buildRepositories).
import type { PostgresDatabase } from './db/postgres-database';
import { PostgresTokenStatsRepository } from './health/token-stats.repository.postgres';
import { PostgresSessionsRepository } from './sessions/sessions.repository.postgres';
import { PostgresTokensRepository } from './tokens/tokens.repository.postgres';
import { PostgresUsersRepository } from './users/users.repository.postgres';
import { PostgresOauthStatesRepository } from './auth/oauth-states.repository.postgres';
import { PostgresLiveCalendarRepository } from './live/live-calendar.repository.postgres';
import type { Repositories, RepositoryChoices } from './services';
import { PostgresLeasesRepository } from './lifecycle/leases.repository.postgres';
import { PostgresWebhookOutboxRepository } from './webhooks/webhook-outbox.repository.postgres';

export function postgresRepositories(database: PostgresDatabase, choices: RepositoryChoices = {}): Repositories {
  return {
    users: new PostgresUsersRepository(database.db),
    sessions: new PostgresSessionsRepository(database.db),
    oauthStates: new PostgresOauthStatesRepository(database.db),
    tokens: new PostgresTokensRepository(database.db, choices),
    tokenStats: new PostgresTokenStatsRepository(database.pool),
    leases: new PostgresLeasesRepository(database.db),
    webhookOutbox: new PostgresWebhookOutboxRepository(database.db),
    liveCalendar: new PostgresLiveCalendarRepository(database.db),
  };
}
