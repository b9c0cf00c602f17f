// Every repository keeps the same contract on SQLite and PostgreSQL: same objects out, same atomicity.
import { Channel } from '../../src/config/channels';
import { openDatabase, type OpenedDatabase } from '../../src/db/database';
import { describeDatabaseError } from '../../src/db/database-errors';
import { buildRepositories, type Repositories } from '../../src/services';
import type { ConnectionWrite } from '../../src/tokens/tokens.repository';
import { describeEachDatabase, queryValue } from '../support/databases';

const connection = (name: string, overrides: Partial<ConnectionWrite> = {}): ConnectionWrite => ({
  microsoftUserId: `oid-${name}`,
  tenantId: 'tenant',
  homeAccountId: `oid-${name}.tenant`,
  email: `${name}@contoso.example`,
  displayName: name,
  tokenCacheEncrypted: `sealed-${name}`,
  scopes: ['User.Read', 'Calendars.ReadWrite'],
  accessTokenExpiresAt: new Date(1_700_000_000_000),
  ...overrides,
});


/** A pending sign-in as the sign-in service stores it (secrets already sealed or hashed). */
function pendingSignIn(overrides: { stateHash: string; returnTo?: string | null }) {
  return {
    channel: 'main',
    codeVerifierEncrypted: 'sealed-verifier',
    nonce: 'sealed-nonce',
    returnTo: null,
    linkUserId: null,
    completionSecretHash: 'completion-hash',
    browserBindingHash: null,
    authorizationUrlEncrypted: 'sealed-url',
    createdAt: new Date(1_000),
    expiresAt: new Date(601_000),
    ...overrides,
  };
}
describeEachDatabase('repositories', (target) => {
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

  it('creates, finds and updates users', async () => {
    const { users } = repositories;
    const created = await users.create({ tenantId: 'tenant', microsoftUserId: 'oid-users', displayName: 'Adele' }, new Date(1_000));
    expect(created).toEqual({
      id: expect.any(String),
      tenantId: 'tenant',
      microsoftUserId: 'oid-users',
      displayName: 'Adele',
      email: null,
      createdAt: new Date(1_000),
      updatedAt: 1_000,
    });
    expect(await users.findById(created.id)).toEqual(created);
    expect(await users.findByIdentity('tenant', 'oid-users')).toEqual(created);
    expect(await users.findByIdentity('tenant', 'nobody')).toBeUndefined();
    await users.updateProfile(created.id, { email: 'adele@contoso.example' }, new Date(2_000));
    expect(await users.findById(created.id)).toMatchObject({ email: 'adele@contoso.example', displayName: 'Adele', updatedAt: 2_000 });
    // Matched on the driver's code: better-sqlite3's error is not an Error of the realm jest runs each file in.
    const duplicate = await users.create({ tenantId: 'tenant', microsoftUserId: 'oid-users', email: 'secret-mail@contoso.example' }).catch((error: unknown) => error);
    const code = target.dialect === 'sqlite' ? (duplicate as { code?: string }).code : (duplicate as { cause?: { code?: string } }).cause?.code;
    expect(code).toBe(target.dialect === 'sqlite' ? 'SQLITE_CONSTRAINT_UNIQUE' : '23505');
    // What scripts print of it names the broken rule, never the statement's parameters.
    expect(describeDatabaseError(duplicate)).toMatch(/unique/i);
    expect(describeDatabaseError(duplicate)).not.toContain('secret-mail');
  });

  it('gives concurrent first sign-ins of one identity the same user', async () => {
    const racing = await Promise.all(
      Array.from({ length: 8 }, () => repositories.users.findOrCreateByIdentity({ tenantId: 'tenant', microsoftUserId: 'oid-race', email: 'race@contoso.example' })),
    );
    expect(new Set(racing.map((user) => user.id)).size).toBe(1);
    expect(await queryValue(database, 'SELECT count(*) AS n FROM users WHERE microsoft_user_id = ?', ['oid-race'])).toBe(1);
  });

  it('finds live sessions only, revokes once, and writes last-seen times in one batch', async () => {
    const user = await repositories.users.create({ tenantId: 'tenant', microsoftUserId: 'oid-sessions' });
    const { sessions } = repositories;
    await sessions.create({ id: 's-live', tokenHash: 'hash-live', userId: user.id, expiresAt: new Date(10_000) }, new Date(1_000));
    await sessions.create({ id: 's-old', tokenHash: 'hash-old', userId: user.id, expiresAt: new Date(5_000) }, new Date(1_000));
    expect(await sessions.findActiveByTokenHash('hash-live', new Date(6_000))).toEqual({ id: 's-live', userId: user.id, expiresAt: new Date(10_000) });
    expect(await sessions.findActiveByTokenHash('hash-old', new Date(6_000))).toBeUndefined();
    await sessions.touch([
      { sessionId: 's-live', at: new Date(7_000) },
      { sessionId: 's-old', at: new Date(4_000) },
    ]);
    expect(await queryValue(database, 'SELECT last_seen_at FROM sessions WHERE id = ?', ['s-live'])).toBe(7_000);
    expect(await queryValue(database, 'SELECT last_seen_at FROM sessions WHERE id = ?', ['s-old'])).toBe(4_000);
    expect(await sessions.revoke('s-live', new Date(8_000))).toBe(true);
    expect(await sessions.revoke('s-live', new Date(9_000))).toBe(false);
    expect(await sessions.findActiveByTokenHash('hash-live', new Date(8_500))).toBeUndefined();
  });

  it('hands a sign-in state to exactly one of many concurrent consumers', async () => {
    const { oauthStates } = repositories;
    const pending = pendingSignIn({ stateHash: 'state-race', returnTo: 'https://app.example/done' });
    await oauthStates.create(pending);
    expect(await oauthStates.peek('state-race')).toEqual(pending);
    const results = await Promise.all(Array.from({ length: 12 }, () => oauthStates.consume('state-race', new Date(2_000))));
    expect(results.filter((result) => result.status === 'consumed')).toEqual([{ status: 'consumed', pending }]);
    expect(results.filter((result) => result.status === 'already_used')).toHaveLength(11);
    expect(await oauthStates.peek('state-race')).toBeUndefined();
    expect(await oauthStates.consume('never-issued')).toEqual({ status: 'unknown' });
    expect(await oauthStates.deleteExpired(new Date(601_001))).toBe(1);
    expect(await oauthStates.consume('state-race')).toEqual({ status: 'unknown' });
  });

  it('binds a pending sign-in to the first of several browsers only, and never a spent one', async () => {
    const { oauthStates } = repositories;
    const pending = pendingSignIn({ stateHash: 'state-bind' });
    await oauthStates.create(pending);
    await oauthStates.create({ ...pending, stateHash: 'state-spent' });
    await oauthStates.consume('state-spent', new Date(2_000));
    const results = await Promise.all(['first', 'second', 'third'].map((browser) => oauthStates.bindBrowser('state-bind', `binding-${browser}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await oauthStates.peek('state-bind'))?.browserBindingHash).toMatch(/^binding-/);
    expect(await oauthStates.bindBrowser('state-spent', 'binding-late')).toBe(false);
    expect(await oauthStates.bindBrowser('never-issued', 'binding-late')).toBe(false);
  });

  it('stores a connection per channel, replaces it on a new sign-in and records refreshes and failures', async () => {
    const user = await repositories.users.create({ tenantId: 'tenant', microsoftUserId: 'oid-adele' });
    const { tokens } = repositories;
    await tokens.saveSignIn(Channel.BETA, user.id, connection('adele'), new Date(1_000));
    expect(await tokens.findByUser(Channel.MAIN, user.id)).toBeUndefined();
    expect(await tokens.findUserIdByIdentity(Channel.BETA, 'tenant', 'oid-adele')).toBe(user.id);
    await tokens.recordRefreshFailure(Channel.BETA, user.id, { errorCode: 'invalid_grant', kind: 'reconnect', startedFrom: 'sealed-adele' }, new Date(2_000));
    expect(await tokens.findByUser(Channel.BETA, user.id)).toMatchObject({ isActive: false, needsReconnect: true, refreshFailureCount: 1 });
    await tokens.saveSignIn(Channel.BETA, user.id, connection('adele', { tokenCacheEncrypted: 'sealed-again' }), new Date(3_000));
    await tokens.saveRefreshedCache(Channel.BETA, user.id, { tokenCacheEncrypted: 'sealed-refreshed', accessTokenExpiresAt: new Date(9_000) }, new Date(4_000));
    await tokens.touchLastUsed(Channel.BETA, [{ userId: user.id, at: new Date(5_000) }]);
    expect(await tokens.findByUser(Channel.BETA, user.id)).toEqual({
      id: expect.any(String),
      userId: user.id,
      channel: Channel.BETA,
      microsoftUserId: 'oid-adele',
      tenantId: 'tenant',
      homeAccountId: 'oid-adele.tenant',
      email: 'adele@contoso.example',
      displayName: 'adele',
      tokenCacheEncrypted: 'sealed-refreshed',
      scopes: ['User.Read', 'Calendars.ReadWrite'],
      accessTokenExpiresAt: new Date(9_000),
      lastUsedAt: new Date(5_000),
      lastRefreshedAt: new Date(4_000),
      refreshFailureCount: 0,
      lastErrorCode: null,
      status: 'ACTIVE',
      refreshFailingSince: null,
      nextRefreshAt: null,
      isActive: true,
      needsReconnect: false,
      createdAt: new Date(1_000),
      updatedAt: new Date(4_000),
    });
    expect(await queryValue(database, 'SELECT count(*) AS n FROM beta_microsoft_oauth_tokens WHERE user_id = ?', [user.id])).toBe(1);
    expect(await tokens.delete(Channel.BETA, user.id)).toBe(true);
    expect(await tokens.delete(Channel.BETA, user.id)).toBe(false);
  });

  it('leaves a connection a new sign-in replaced alone when a refresh of the old one is refused', async () => {
    const user = await repositories.users.create({ tenantId: 'tenant', microsoftUserId: 'oid-replaced' });
    const { tokens } = repositories;
    await tokens.saveSignIn(Channel.MAIN, user.id, connection('replaced', { tokenCacheEncrypted: 'sealed-first' }), new Date(1_000));
    await tokens.saveSignIn(Channel.MAIN, user.id, connection('replaced', { tokenCacheEncrypted: 'sealed-second' }), new Date(2_000));
    await tokens.recordRefreshFailure(Channel.MAIN, user.id, { errorCode: 'invalid_grant', kind: 'reconnect', startedFrom: 'sealed-first' }, new Date(3_000));
    expect(await tokens.findByUser(Channel.MAIN, user.id)).toMatchObject({
      tokenCacheEncrypted: 'sealed-second',
      isActive: true,
      needsReconnect: false,
      refreshFailureCount: 0,
      lastErrorCode: null,
    });
    await tokens.recordRefreshFailure(Channel.MAIN, user.id, { errorCode: 'invalid_grant', kind: 'reconnect', startedFrom: 'sealed-second' }, new Date(4_000));
    expect(await tokens.findByUser(Channel.MAIN, user.id)).toMatchObject({ isActive: false, needsReconnect: true, refreshFailureCount: 1 });
  });

  it('rewrites every envelope in one transaction, and nothing when the rewrite fails', async () => {
    const { users, tokens } = repositories;
    const first = await users.create({ tenantId: 'tenant', microsoftUserId: 'oid-rotate-1' });
    const second = await users.create({ tenantId: 'tenant', microsoftUserId: 'oid-rotate-2' });
    await tokens.saveSignIn(Channel.MAIN, first.id, connection('rotate-1'));
    await tokens.saveSignIn(Channel.BETA, second.id, connection('rotate-2'));
    const failing = tokens.rewriteAllEncrypted((channel, userId, envelope) => {
      if (userId === second.id) throw new Error('cannot decrypt');
      return `${envelope}+new`;
    });
    await expect(failing).rejects.toThrow('cannot decrypt');
    expect((await tokens.findByUser(Channel.MAIN, first.id))!.tokenCacheEncrypted).toBe('sealed-rotate-1');
    const rewritten = await tokens.rewriteAllEncrypted((channel, userId, envelope) => (envelope.startsWith('sealed-rotate') ? `${channel}:${envelope}` : undefined));
    expect(rewritten).toBe(2);
    expect((await tokens.findByUser(Channel.MAIN, first.id))!.tokenCacheEncrypted).toBe('main:sealed-rotate-1');
    expect((await tokens.findByUser(Channel.BETA, second.id))!.tokenCacheEncrypted).toBe('beta:sealed-rotate-2');
  });

  it('records token events and counts them in token statistics', async () => {
    const { users, tokens, tokenStats } = repositories;
    const user = await users.create({ tenantId: 'tenant', microsoftUserId: 'oid-stats' });
    const now = new Date(1_800_000_000_000);
    await tokens.recordEvent(Channel.BETA, user.id, 'refreshed', null, new Date(now.getTime() - 60_000));
    await tokens.recordEvent(Channel.BETA, user.id, 'refresh_failed', 'invalid_grant', new Date(now.getTime() - 60_000));
    await tokens.recordEvent(Channel.BETA, null, 'refreshed', null, new Date(now.getTime() - 2 * 3_600_000));
    expect(await tokenStats.countsFor(Channel.BETA, now)).toMatchObject({ refreshedLastHour: 1, refreshFailuresLastHour: 1 });
    await users.create({ tenantId: 'tenant', microsoftUserId: 'oid-stats-2' });
    await tokens.recordEvent(Channel.MAIN, user.id, 'signed_in');
    const createdAt = await queryValue<number>(database, "SELECT created_at FROM token_events WHERE kind = 'signed_in' AND user_id = ?", [user.id]);
    expect(Math.abs(createdAt! - Date.now())).toBeLessThan(60_000);
  });
});
