import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Channel } from '../../src/config/channels';
import { TokenCipher } from '../../src/crypto/token-cipher';
import { reencryptAllTokens } from '../../src/crypto/rotate-keys';
import { openSqliteDatabase } from '../../src/db/database';
import { TokenVault } from '../../src/tokens/token-vault';
import { SqliteTokensRepository } from '../../src/tokens/tokens.repository';
import { SqliteUsersRepository } from '../../src/users/users.repository';

const REFRESH_TOKEN_TEXT = 'RT-0.AQEAsecret-refresh-token-material-' + randomBytes(8).toString('hex');

function signIn(tokens: SqliteTokensRepository, vault: TokenVault, channel: Channel, userId: string, cache: string): Promise<void> {
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

describe('the encrypted token store', () => {
  it('keeps no token text in the database file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gw-store-'));
    const database = openSqliteDatabase(`file:${join(folder, 'gateway.db')}`);
    const vault = new TokenVault(new TokenCipher([randomBytes(32)]));
    const tokens = new SqliteTokensRepository(database.db);
    const user = await new SqliteUsersRepository(database.db).create({ tenantId: 'tenant', microsoftUserId: 'oid-1' });
    await signIn(tokens, vault, Channel.MAIN, user.id, JSON.stringify({ RefreshToken: { secret: REFRESH_TOKEN_TEXT } }));
    const stored = (await tokens.findByUser(Channel.MAIN, user.id))!;
    expect(vault.open(Channel.MAIN, user.id, stored.tokenCacheEncrypted)).toContain(REFRESH_TOKEN_TEXT);
    database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    database.close();
    for (const file of readdirSync(folder)) {
      expect(readFileSync(join(folder, file)).includes(Buffer.from(REFRESH_TOKEN_TEXT))).toBe(false);
    }
  });

  it('keeps each channel in its own table, one row per user', async () => {
    const database = openSqliteDatabase(':memory:');
    const vault = new TokenVault(new TokenCipher([randomBytes(32)]));
    const tokens = new SqliteTokensRepository(database.db);
    const user = await new SqliteUsersRepository(database.db).create({ tenantId: 'tenant', microsoftUserId: 'oid-1' });
    await signIn(tokens, vault, Channel.BETA, user.id, 'beta cache');
    await signIn(tokens, vault, Channel.BETA, user.id, 'beta cache again');
    expect(database.sqlite.prepare('SELECT count(*) FROM beta_microsoft_oauth_tokens').pluck().get()).toBe(1);
    expect(database.sqlite.prepare('SELECT count(*) FROM microsoft_oauth_tokens').pluck().get()).toBe(0);
    expect(await tokens.findByUser(Channel.MAIN, user.id)).toBeUndefined();
    database.close();
  });

  it('re-encrypts every stored value under the new key when keys rotate', async () => {
    const database = openSqliteDatabase(':memory:');
    const oldKey = randomBytes(32);
    const tokens = new SqliteTokensRepository(database.db);
    const user = await new SqliteUsersRepository(database.db).create({ tenantId: 'tenant', microsoftUserId: 'oid-1' });
    await signIn(tokens, new TokenVault(new TokenCipher([oldKey])), Channel.MAIN, user.id, 'cache under old key');
    const newKey = randomBytes(32);
    const rotatedCipher = new TokenCipher([newKey, oldKey]);
    expect(await reencryptAllTokens(tokens, new TokenVault(rotatedCipher), rotatedCipher)).toBe(1);
    const onlyNewKey = new TokenVault(new TokenCipher([newKey]));
    expect(onlyNewKey.open(Channel.MAIN, user.id, (await tokens.findByUser(Channel.MAIN, user.id))!.tokenCacheEncrypted)).toBe('cache under old key');
    database.close();
  });

  it('deletes a user’s connections with the user', async () => {
    const database = openSqliteDatabase(':memory:');
    const vault = new TokenVault(new TokenCipher([randomBytes(32)]));
    const tokens = new SqliteTokensRepository(database.db);
    const user = await new SqliteUsersRepository(database.db).create({ tenantId: 'tenant', microsoftUserId: 'oid-1' });
    await signIn(tokens, vault, Channel.MAIN, user.id, 'cache');
    database.sqlite.prepare('DELETE FROM users WHERE id = ?').run(user.id);
    expect(await tokens.findByUser(Channel.MAIN, user.id)).toBeUndefined();
    database.close();
  });
});
