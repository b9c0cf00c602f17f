import { Channel } from '../../src/config/channels';
import type { OpenedDatabase } from '../../src/db/database';
import { SqliteTokenStatsRepository } from '../../src/health/token-stats.repository';
import { PostgresTokenStatsRepository } from '../../src/health/token-stats.repository.postgres';
import { describeEachDatabase } from '../support/databases';
import type { ConnectionWrite } from '../../src/tokens/tokens.repository';
import { errorCodes, graphql } from '../support/http';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const STATS_QUERY =
  'query Stats($channel: Channel) { tokenStats(channel: $channel) { channel total active inactive expired expiringSoon needsReconnect refreshedLastHour refreshFailuresLastHour } }';

function connection(name: string, accessTokenExpiresAt: Date | null): ConnectionWrite {
  return {
    microsoftUserId: `ms-${name}`,
    tenantId: 'tenant',
    homeAccountId: `ms-${name}.tenant`,
    email: `${name}@example.com`,
    displayName: name,
    tokenCacheEncrypted: 'sealed',
    scopes: ['User.Read'],
    accessTokenExpiresAt,
  };
}

/** The plan's table scans that use no index: none may be left. */
async function scansWithoutIndex(database: OpenedDatabase, channel: Channel): Promise<string[]> {
  if (database.dialect === 'sqlite') {
    const plan = database.sqlite
      .prepare(`EXPLAIN QUERY PLAN ${SqliteTokenStatsRepository.statementFor(channel)}`)
      .all({ now: 0, soon: 0, hourAgo: 0, channel }) as Array<{ detail: string }>;
    expect(plan.length).toBeGreaterThanOrEqual(8);
    const scans = plan.map((row) => row.detail).filter((detail) => /^SCAN /.test(detail) && detail !== 'SCAN CONSTANT ROW');
    return scans.filter((detail) => !/USING (COVERING )?INDEX/.test(detail));
  }
  const client = await database.pool.connect();
  try {
    // On a few rows PostgreSQL rightly prefers a sequential scan; forbidding it shows whether an index can serve each count.
    await client.query('BEGIN');
    await client.query('SET LOCAL enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN ${PostgresTokenStatsRepository.statementFor(channel)}`,
      PostgresTokenStatsRepository.parametersFor(channel, new Date()),
    );
    const plan = rows.map((row) => row['QUERY PLAN']);
    expect(plan.filter((line) => /Index (Only )?Scan|Bitmap Index Scan/.test(line)).length).toBeGreaterThanOrEqual(8);
    return plan.filter((line) => /Seq Scan/.test(line));
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

describeEachDatabase('tokenStats', (target) => {
  let gateway: StartedGateway | undefined;
  afterAll(async () => {
    await gateway?.close();
    await target.dropAll();
  });
  beforeAll(async () => {
    gateway = await startTestGateway({ ADMIN_TOKEN, DATABASE_URL: target.freshUrl() });
    const { users, tokens } = gateway.services;
    const now = Date.now();
    const seed = async (name: string, expiresInMs: number | null, channel = Channel.MAIN) => {
      const user = await users.create({ tenantId: 'tenant', microsoftUserId: `ms-${name}` });
      await tokens.saveSignIn(channel, user.id, connection(name, expiresInMs === null ? null : new Date(now + expiresInMs)));
      return user.id;
    };
    await seed('fresh', 60 * 60_000);
    await seed('no-expiry-known', null);
    await seed('expired', -60_000);
    await seed('expiring', 2 * 60_000);
    const reconnect = await seed('reconnect', -5 * 60_000);
    await tokens.recordRefreshFailure(Channel.MAIN, reconnect, { errorCode: 'invalid_grant', kind: 'reconnect', startedFrom: 'sealed' });
    const flaky = await seed('flaky', 30 * 60_000);
    await tokens.recordRefreshFailure(Channel.MAIN, flaky, { errorCode: 'temporarily_unavailable', kind: 'transient', startedFrom: 'sealed' });
    await seed('beta-user', 60 * 60_000, Channel.BETA);
    await tokens.recordEvent(Channel.MAIN, null, 'refreshed');
    await tokens.recordEvent(Channel.MAIN, null, 'refreshed');
    await tokens.recordEvent(Channel.MAIN, null, 'refreshed', null, new Date(now - 2 * 60 * 60_000));
    await tokens.recordEvent(Channel.MAIN, null, 'refresh_failed', 'invalid_grant');
    await tokens.recordEvent(Channel.MAIN, null, 'refresh_failed', 'temporarily_unavailable');
    await tokens.recordEvent(Channel.MAIN, null, 'refresh_failed', 'x', new Date(now - 61 * 60_000));
    await tokens.recordEvent(Channel.BETA, null, 'refreshed');
  });

  it('counts every state of the channel asked for', async () => {
    const response = await graphql(gateway!.url, STATS_QUERY, { variables: { channel: 'MAIN' }, headers: { 'x-admin-token': ADMIN_TOKEN } });
    expect(response.errors).toBeUndefined();
    expect(response.data!.tokenStats).toEqual([
      {
        channel: 'MAIN',
        total: 6,
        active: 5,
        inactive: 1,
        expired: 2,
        expiringSoon: 1,
        needsReconnect: 1,
        refreshedLastHour: 2,
        refreshFailuresLastHour: 2,
      },
    ]);
  });

  it('answers every channel when none is named', async () => {
    const response = await graphql<{ tokenStats: Array<{ channel: string; total: number; refreshedLastHour: number }> }>(gateway!.url, STATS_QUERY, {
      headers: { 'x-admin-token': ADMIN_TOKEN },
    });
    expect(response.data!.tokenStats.map(({ channel, total, refreshedLastHour }) => ({ channel, total, refreshedLastHour }))).toEqual([
      { channel: 'MAIN', total: 6, refreshedLastHour: 2 },
      { channel: 'BETA', total: 1, refreshedLastHour: 1 },
    ]);
  });

  it('refuses a missing or wrong admin token with FORBIDDEN', async () => {
    expect(errorCodes(await graphql(gateway!.url, STATS_QUERY))).toEqual(['FORBIDDEN']);
    const wrong = await graphql(gateway!.url, STATS_QUERY, { headers: { 'x-admin-token': `${ADMIN_TOKEN}x` } });
    expect(errorCodes(wrong)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(wrong)).not.toContain(ADMIN_TOKEN);
  });

  it('computes every count over an index', async () => {
    for (const channel of [Channel.MAIN, Channel.BETA]) {
      expect(await scansWithoutIndex(gateway!.database, channel)).toEqual([]);
    }
  });

  it('reads no token row in SQLite: every count of the token table comes from an index alone', () => {
    // A token row holds kilobytes of encrypted cache: reading 10,000 of them made `expiringSoon` 30 ms of a 38 ms call.
    const database = gateway!.database;
    if (database.dialect !== 'sqlite') return;
    for (const channel of [Channel.MAIN, Channel.BETA]) {
      const plan = database.sqlite
        .prepare(`EXPLAIN QUERY PLAN ${SqliteTokenStatsRepository.statementFor(channel)}`)
        .all({ now: 0, soon: 0, hourAgo: 0, channel }) as Array<{ detail: string }>;
      const tokenTableReads = plan.map((row) => row.detail).filter((detail) => /oauth_tokens/.test(detail));
      expect(tokenTableReads.length).toBeGreaterThanOrEqual(6);
      expect(tokenTableReads.filter((detail) => !/COVERING INDEX/.test(detail))).toEqual([]);
    }
  });
});

describe('tokenStats without ADMIN_TOKEN configured', () => {
  it('is refused with FORBIDDEN whatever header is sent', async () => {
    const gateway = await startTestGateway();
    try {
      const response = await graphql(gateway.url, STATS_QUERY, { headers: { 'x-admin-token': 'anything' } });
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    } finally {
      await gateway.close();
    }
  });
});
