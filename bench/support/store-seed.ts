// Fills a gateway database with many users, sessions and encrypted connections in a few transactions (raw SQL, for speed).
import { randomBytes, randomUUID } from 'node:crypto';
import { Channel } from '../../src/config/channels';
import { createTokenCipher } from '../../src/crypto/token-cipher';
import { sessionTokenHasher } from '../../src/sessions/session-token-hash';
import Database from 'better-sqlite3';
import { SANDBOX_TENANT_ID } from '../../src/sandbox';
import { TokenVault } from '../../src/tokens/token-vault';

export interface SeededStore {
  userIds: string[];
  /** Session tokens of the first users (the tokens themselves are never stored). */
  sessionTokens: string[];
}

const HOUR_MS = 3_600_000;

/** A cache partition shaped like msal-node's serialization, so sizes and decryption costs are realistic. */
function fakeCachePartition(userId: string, expiresOnSeconds: number): string {
  const homeAccountId = `${userId}.${SANDBOX_TENANT_ID}`;
  return JSON.stringify({
    Account: { [`${homeAccountId}-login.example-${SANDBOX_TENANT_ID}`]: { home_account_id: homeAccountId, environment: 'login.example', realm: SANDBOX_TENANT_ID, local_account_id: userId, username: `${userId}@contoso.example`, authority_type: 'MSSTS' } },
    AccessToken: { [`${homeAccountId}-login.example-accesstoken-client-${SANDBOX_TENANT_ID}-calendars.readwrite user.read`]: { secret: randomBytes(900).toString('base64url'), expires_on: String(expiresOnSeconds), cached_at: String(expiresOnSeconds - 3600), credential_type: 'AccessToken' } },
    RefreshToken: { [`${homeAccountId}-login.example-refreshtoken-client--`]: { secret: randomBytes(600).toString('base64url'), credential_type: 'RefreshToken' } },
    IdToken: {}, AppMetadata: {},
  });
}

/** Seeds a database the gateway has already created and migrated (the bench starts it once on the file first). */
export function seedStore(databaseFile: string, options: { connections: number; secretKey: string; sessionTokensKept: number }): SeededStore {
  const sqlite = new Database(databaseFile);
  sqlite.pragma('journal_mode = WAL');
  const vault = new TokenVault(createTokenCipher(Buffer.from(options.secretKey, 'utf8'), []));
  const hashSessionToken = sessionTokenHasher(Buffer.from(options.secretKey, 'utf8'));
  const now = Date.now();
  const userIds: string[] = [];
  const sessionTokens: string[] = [];
  try {
    const insertUser = sqlite.prepare('INSERT INTO users (id, tenant_id, microsoft_user_id, display_name, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insertSession = sqlite.prepare('INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)');
    const insertToken = sqlite.prepare(`INSERT INTO microsoft_oauth_tokens (id, user_id, microsoft_user_id, tenant_id, home_account_id, email, display_name,
      token_cache_encrypted, scopes, access_token_expires_at, last_used_at, last_refreshed_at, refresh_failure_count, last_error_code, is_active, needs_reconnect, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insertEvent = sqlite.prepare('INSERT INTO token_events (channel, user_id, kind, error_code, created_at) VALUES (?, ?, ?, ?, ?)');
    const batch = sqlite.transaction((from: number, to: number) => {
      for (let index = from; index < to; index += 1) {
        const userId = randomUUID();
        const microsoftUserId = randomUUID();
        userIds.push(userId);
        insertUser.run(userId, SANDBOX_TENANT_ID, microsoftUserId, `Stored User ${index}`, `stored.${index}@contoso.example`, now, now);
        const sessionToken = randomBytes(32).toString('base64url');
        if (sessionTokens.length < options.sessionTokensKept) sessionTokens.push(sessionToken);
        insertSession.run(randomUUID(), hashSessionToken(sessionToken), userId, now, now + 30 * 24 * HOUR_MS, now);
        // A spread of states, so every tokenStats counter has work: expired, expiring soon, needs reconnect, inactive.
        const expiresAt = index % 10 === 0 ? now - HOUR_MS : index % 10 === 1 ? now + 5 * 60_000 : now + HOUR_MS;
        const needsReconnect = index % 50 === 0;
        const envelope = vault.seal(Channel.MAIN, userId, fakeCachePartition(microsoftUserId, Math.floor(expiresAt / 1000)));
        insertToken.run(randomUUID(), userId, microsoftUserId, SANDBOX_TENANT_ID, `${microsoftUserId}.${SANDBOX_TENANT_ID}`, `stored.${index}@contoso.example`,
          `Stored User ${index}`, envelope, 'User.Read Calendars.ReadWrite', expiresAt, now - (index % 100) * 60_000, now - (index % 120) * 60_000,
          needsReconnect ? 3 : 0, needsReconnect ? 'invalid_grant' : null, needsReconnect || index % 97 === 0 ? 0 : 1, needsReconnect ? 1 : 0, now, now);
        if (index % 4 === 0) insertEvent.run(Channel.MAIN, userId, 'refreshed', null, now - (index % 120) * 60_000);
        if (index % 40 === 0) insertEvent.run(Channel.MAIN, userId, 'refresh_failed', 'temporarily_unavailable', now - (index % 90) * 60_000);
      }
    });
    for (let from = 0; from < options.connections; from += 10_000) batch(from, Math.min(options.connections, from + 10_000));
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.exec('ANALYZE');
  } finally {
    sqlite.close();
  }
  return { userIds, sessionTokens };
}
