// The encrypted token store on both dialects: no token text at rest, a table per channel, key rotation, cascades.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Channel } from '../../src/config/channels';
import { TokenCipher } from '../../src/crypto/token-cipher';
import { reencryptAllTokens } from '../../src/crypto/rotate-keys';
import { openDatabase, openSqliteDatabase, type OpenedDatabase } from '../../src/db/database';
import { buildRepositories, type Repositories } from '../../src/services';
import { TokenVault } from '../../src/tokens/token-vault';
import type { TokensRepository } from '../../src/tokens/tokens.repository';
import { describeEachDatabase, queryRows, queryValue, runStatement } from '../support/databases';

const REFRESH_TOKEN_TEXT = 'RT-0.AQEAsecret-refresh-token-material-' + randomBytes(8).toString('hex');
const TABLES = ['users', 'sessions', 'oauth_states', 'microsoft_oauth_tokens', 'beta_microsoft_oauth_tokens', 'token_events'];

function signIn(tokens: TokensRepository, vault: TokenVault, channel: Channel, userId: string, cache: string): Promise<void> {
  return tokens.saveSignIn(channel, userId, {
    microsoftUserId: 'oid-' + userId,
    tenantId: 'tenant',
    homeAccountId: `oid-${userId}.tenant`,
    email: 'adele@contoso.example',
    displayName: 'Adele',
    tokenCacheEncrypted: vault.seal(channel, userId, cache),
    scopes: ['User.Read'],
    accessTokenExpiresAt: new Date(Date.now() + 3600_000),
  });
}

describe('the encrypted token store on SQLite', () => {
  it('keeps no token text in the database file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gw-store-'));
    const database = openSqliteDatabase(`file:${join(folder, 'gateway.db')}`);
    const vault = new TokenVault(new TokenCipher([randomBytes(32)]));
    const { users, tokens } = await buildRepositories(database);
    const user = await users.create({ tenantId: 'tenant', microsoftUserId: 'oid-1' });
    await signIn(tokens, vault, Channel.MAIN, user.id, JSON.stringify({ RefreshToken: { secret: REFRESH_TOKEN_TEXT } }));
    const stored = (await tokens.findByUser(Channel.MAIN, user.id))!;
    expect(vault.open(Channel.MAIN, user.id, stored.tokenCacheEncrypted)).toContain(REFRESH_TOKEN_TEXT);
    database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    database.close();
    for (const file of readdirSync(folder)) {
      expect(readFileSync(join(folder, file)).includes(Buffer.from(REFRESH_TOKEN_TEXT))).toBe(false);
    }
    rmSync(folder, { recursive: true, force: true });
  });
});

describeEachDatabase('the encrypted token store', (target) => {
  let database: OpenedDatabase;
  let repositories: Repositories;
  beforeAll(async () => {
    database = await openDatabase(target.freshUrl());
    repositories = await buildRepositories(database);
  });
  afterAll(async () => {
    await database?.close();
    await target.dropAll();
  });

  const createUser = (name: string) => repositories.users.create({ tenantId: 'tenant', microsoftUserId: `oid-${name}` });

  it('keeps no token text in any table', async () => {
    const vault = new TokenVault(new TokenCipher([randomBytes(32)]));
    const user = await createUser('plain');
    await signIn(repositories.tokens, vault, Channel.BETA, user.id, JSON.stringify({ RefreshToken: { secret: REFRESH_TOKEN_TEXT } }));
    const everything = await Promise.all(TABLES.map((table) => queryRows(database, `SELECT * FROM ${table}`)));
    expect(JSON.stringify(everything)).toContain(user.id);
    expect(JSON.stringify(everything)).not.toContain(REFRESH_TOKEN_TEXT);
  });

  it('keeps each channel in its own table, one row per user', async () => {
    const vault = new TokenVault(new TokenCipher([randomBytes(32)]));
    const user = await createUser('channels');
    await signIn(repositories.tokens, vault, Channel.BETA, user.id, 'beta cache');
    await signIn(repositories.tokens, vault, Channel.BETA, user.id, 'beta cache again');
    expect(await queryValue(database, 'SELECT count(*) AS n FROM beta_microsoft_oauth_tokens WHERE user_id = ?', [user.id])).toBe(1);
    expect(await queryValue(database, 'SELECT count(*) AS n FROM microsoft_oauth_tokens WHERE user_id = ?', [user.id])).toBe(0);
    expect(await repositories.tokens.findByUser(Channel.MAIN, user.id)).toBeUndefined();
  });

  it('re-encrypts every stored value under the new key when keys rotate', async () => {
    const oldKey = randomBytes(32);
    const { tokens } = repositories;
    const user = await createUser('rotation');
    // Rows of earlier tests were sealed under other keys: start from this user's row alone.
    await runStatement(database, 'DELETE FROM users WHERE id <> ?', [user.id]);
    await signIn(tokens, new TokenVault(new TokenCipher([oldKey])), Channel.MAIN, user.id, 'cache under old key');
    const newKey = randomBytes(32);
    const rotatedCipher = new TokenCipher([newKey, oldKey]);
    expect(await reencryptAllTokens(tokens, new TokenVault(rotatedCipher), rotatedCipher)).toBe(1);
    const onlyNewKey = new TokenVault(new TokenCipher([newKey]));
    expect(onlyNewKey.open(Channel.MAIN, user.id, (await tokens.findByUser(Channel.MAIN, user.id))!.tokenCacheEncrypted)).toBe('cache under old key');
    expect(await reencryptAllTokens(tokens, new TokenVault(rotatedCipher), rotatedCipher)).toBe(0);
  });

  it('deletes a user’s connections with the user', async () => {
    const vault = new TokenVault(new TokenCipher([randomBytes(32)]));
    const user = await createUser('cascade');
    await signIn(repositories.tokens, vault, Channel.MAIN, user.id, 'cache');
    expect(await runStatement(database, 'DELETE FROM users WHERE id = ?', [user.id])).toBe(1);
    expect(await repositories.tokens.findByUser(Channel.MAIN, user.id)).toBeUndefined();
  });
});
