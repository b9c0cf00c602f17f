// Builds every repository and service of the gateway from the configuration and an open database.
import type { Logger } from 'pino';
import { ChannelResolver } from './channels/channel-resolver';
import type { GatewayConfig } from './config/config.types';
import { createTokenCipher } from './crypto/token-cipher';
import type { OpenedDatabase } from './db/database';
import { sqliteProbe } from './health/database-probe';
import { HealthService } from './health/health.service';
import { SqliteSessionsRepository } from './sessions/sessions.repository';
import { SessionService } from './sessions/sessions.service';
import { TokenVault } from './tokens/token-vault';
import { SqliteTokensRepository } from './tokens/tokens.repository';
import { SqliteUsersRepository } from './users/users.repository';

export type GatewayServices = ReturnType<typeof buildServices>;

export function buildServices(config: GatewayConfig, database: OpenedDatabase, logger: Logger) {
  const cipher = createTokenCipher(config.secretKey, config.tokenEncryptionKeys);
  const users = new SqliteUsersRepository(database.db);
  const tokens = new SqliteTokensRepository(database.db);
  const sessions = new SessionService(new SqliteSessionsRepository(database.db), { ttlSeconds: config.sessionTtlSeconds });
  const health = new HealthService(config, sqliteProbe(database.sqlite));
  const channels = new ChannelResolver(config);
  return { config, logger, cipher, vault: new TokenVault(cipher), channels, users, tokens, sessions, health };
}

