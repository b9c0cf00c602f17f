// After sign-ins, refreshes and failures, no token, code, state, binding or secret text is in the database files or the log.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Channel } from '../../src/config/channels';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { authorize, completeSignIn, startSignIn } from '../support/microsoft-sign-in';
import { describeEachDatabase, queryRows } from '../support/databases';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const TABLES = ['users', 'sessions', 'oauth_states', 'microsoft_oauth_tokens', 'beta_microsoft_oauth_tokens', 'token_events'];
const folder = mkdtempSync(join(tmpdir(), 'gw-leaks-'));
let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;

/** Everything the database keeps: SQLite's files on disk, or every PostgreSQL row as text. */
async function storedContents(): Promise<Buffer[]> {
  const database = gateway!.database;
  if (database.dialect === 'sqlite') {
    database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return readdirSync(folder).map((file) => readFileSync(join(folder, file)));
  }
  return Promise.all(TABLES.map(async (table) => Buffer.from(JSON.stringify(await queryRows(database, `SELECT * FROM ${table}`)))));
}

describeEachDatabase('no token leaks', (target) => {
  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
    const databaseUrl = target.dialect === 'sqlite' ? `file:${join(folder, 'gateway.db')}` : target.freshUrl();
    gateway = await startTestGateway({ SANDBOX: 'on', RATE_LIMITS: 'off', DATABASE_URL: databaseUrl }, { sandbox });
  });

  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
    rmSync(folder, { recursive: true, force: true });
    await target.dropAll();
  });

  it('keeps tokens, codes, states and session tokens out of the database file and the log', async () => {
    sandbox!.control.setAccessTokenLifetime(120);
    const secrets: string[] = [];
    for (const channel of ['MAIN', 'BETA']) {
      const started = await startSignIn(gateway!.url, { channel, loginHint: sandbox!.users[0].email });
      const { callback, cookie, microsoftUrl } = await authorize(started.authorizationUrl);
      const code = callback.searchParams.get('code')!;
      const { completionSecret } = started;
      const response = await completeSignIn(gateway!.url, { channel, code, state: started.state, completionSecret });
      const signedIn = response.data!.completeMicrosoftSignIn;
      const nonce = microsoftUrl.searchParams.get('nonce')!;
      const challenge = microsoftUrl.searchParams.get('code_challenge')!;
      secrets.push(started.state, code, nonce, challenge, completionSecret, cookie.split('=')[1], signedIn.sessionToken);
      // A reused code and state fail, as does a wrong secret: their failures must not echo them either.
      await completeSignIn(gateway!.url, { channel, code, state: started.state, completionSecret });
      await completeSignIn(gateway!.url, { channel, code, state: started.state, completionSecret: `${completionSecret}-wrong` });
    }
    const userId = (await gateway!.services.users.findByIdentity(sandbox!.users[0].tenantId, sandbox!.users[0].id))!.id;
    for (const channel of [Channel.MAIN, Channel.BETA]) {
      secrets.push(await gateway!.services.tokenService.getAccessToken(userId, channel));
      const row = (await gateway!.services.tokens.findByUser(channel, userId))!;
      const cache = JSON.parse(gateway!.services.vault.open(channel, userId, row.tokenCacheEncrypted)) as Record<string, Record<string, { secret: string }>>;
      for (const kind of ['AccessToken', 'RefreshToken', 'IdToken']) secrets.push(...Object.values(cache[kind] ?? {}).map((entry) => entry.secret));
    }
    sandbox!.control.revokeRefreshTokens(sandbox!.users[0].email);
    await gateway!.services.tokenService.getAccessToken(userId, Channel.MAIN, { forceRefresh: true }).catch(() => undefined);
    secrets.push(gateway!.config.channels.main.clientSecret!, gateway!.config.channels.beta.clientSecret!);

    await gateway!.services.tokenService.stop();
    const files = await storedContents();
    expect(files.length).toBeGreaterThan(0);
    const log = gateway!.logLines.join('\n');
    expect(secrets.length).toBeGreaterThan(14);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(16);
      const where = [...files.map((file, index) => (file.includes(Buffer.from(secret)) ? `database file ${index}` : '')), log.includes(secret) ? 'log' : ''];
      expect({ secret: secrets.indexOf(secret), where: where.filter(Boolean) }).toEqual({ secret: secrets.indexOf(secret), where: [] });
    }
  });
});
