// SECRET_KEY across restarts on a SQLite file: it keys the session hashes, and keys:rotate moves tokens off its derived key.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Channel } from '../../src/config/channels';
import { deriveEncryptionKey, keyId, TokenCipher } from '../../src/crypto/token-cipher';
import { openSqliteDatabase } from '../../src/db/database';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { TokenVault } from '../../src/tokens/token-vault';
import { errorCodes, graphql } from '../support/http';
import { runScript } from '../support/run-script';
import { signInAs } from '../support/sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const VIEWER = '{ viewer { id } }';
const CALENDAR = '{ calendar { defaultCalendar { id } } }';

describe('SECRET_KEY across restarts', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-secret-key-'));
  let sandbox: Sandbox | undefined;
  /** One app registration for every restart: msal-node finds a stored token only under the client id that got it. */
  let appSettings: Record<string, string> = {};
  const gateways: StartedGateway[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
    const caFile = join(folder, 'ca.pem');
    writeFileSync(caFile, sandbox.caCertificatePem);
    const redirectUri = 'http://localhost:4999/auth/microsoft/callback';
    sandbox.registerApp({ clientId: 'restarts-main', clientSecret: 'restarts-main-secret', redirectUris: [redirectUri] });
    sandbox.registerApp({ clientId: 'restarts-beta', clientSecret: 'restarts-beta-secret', redirectUris: [redirectUri] });
    appSettings = {
      MICROSOFT_AUTHORITY_HOST: sandbox.authorityHost,
      MICROSOFT_GRAPH_BASE_URL: sandbox.graphBaseUrl,
      MICROSOFT_CA_FILE: caFile,
      MICROSOFT_CLIENT_ID: 'restarts-main',
      MICROSOFT_CLIENT_SECRET: 'restarts-main-secret',
      MICROSOFT_BETA_CLIENT_ID: 'restarts-beta',
      MICROSOFT_BETA_CLIENT_SECRET: 'restarts-beta-secret',
      MICROSOFT_REDIRECT_URI: redirectUri,
    };
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await sandbox?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** A gateway on the test's database file; the previous one is closed first, as a restart would. */
  async function restart(databaseFile: string, env: Record<string, string>): Promise<StartedGateway> {
    await gateways.at(-1)?.close();
    const gateway = await startTestGateway({ RATE_LIMITS: 'off', DATABASE_URL: `file:${join(folder, databaseFile)}`, ...appSettings, ...env });
    gateways.push(gateway);
    return gateway;
  }

  it('keeps a session across a restart with the same SECRET_KEY and refuses it after a restart with another', async () => {
    const secretKey = randomBytes(32).toString('base64url');
    const signedIn = await signInAs(await restart('sessions.db', { SECRET_KEY: secretKey }), sandbox!.users[0].email);

    const sameKey = await restart('sessions.db', { SECRET_KEY: secretKey });
    expect((await graphql(sameKey.url, VIEWER, { token: signedIn.sessionToken })).data?.viewer).toBeTruthy();

    const otherKey = await restart('sessions.db', { SECRET_KEY: randomBytes(32).toString('base64url') });
    // viewer answers null without a session; a field that needs one says why.
    expect((await graphql(otherKey.url, VIEWER, { token: signedIn.sessionToken })).data?.viewer).toBeNull();
    expect(errorCodes(await graphql(otherKey.url, CALENDAR, { token: signedIn.sessionToken }))).toEqual(['UNAUTHENTICATED']);
  });

  it('keys:rotate moves every token from the key derived from SECRET_KEY to TOKEN_ENCRYPTION_KEY, losing none', async () => {
    const secretKey = randomBytes(32).toString('base64url');
    const databaseUrl = `file:${join(folder, 'rotation.db')}`;
    const before = await restart('rotation.db', { SECRET_KEY: secretKey });
    const signedIn = await signInAs(before, sandbox!.users[0].email);
    await signInAs(before, sandbox!.users[0].email, { channel: 'BETA', sessionToken: signedIn.sessionToken });
    await signInAs(before, sandbox!.users[1].email);
    await before.close();

    const newKey = randomBytes(32);
    const output = await runScript('rotate-keys', { DATABASE_URL: databaseUrl, SECRET_KEY: secretKey, TOKEN_ENCRYPTION_KEY: newKey.toString('base64') });
    expect(output).toBe(`re-encrypted 3 stored token value(s) under key ${keyId(newKey)}\n`);

    const database = openSqliteDatabase(databaseUrl);
    try {
      const onlyNewKey = new TokenVault(new TokenCipher([newKey]));
      const rows = [Channel.MAIN, Channel.BETA].flatMap((channel) =>
        (database.sqlite.prepare(`SELECT user_id, token_cache_encrypted FROM ${channel === Channel.MAIN ? '' : 'beta_'}microsoft_oauth_tokens`).all() as Array<{ user_id: string; token_cache_encrypted: string }>)
          .map((row) => ({ channel, ...row })),
      );
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row.token_cache_encrypted.split('.')[1]).toBe(keyId(newKey));
        expect(onlyNewKey.open(row.channel, row.user_id, row.token_cache_encrypted)).toContain('RefreshToken');
      }
      expect(rows.map((row) => row.token_cache_encrypted.split('.')[1])).not.toContain(keyId(deriveEncryptionKey(Buffer.from(secretKey))));
    } finally {
      database.close();
    }

    const after = await restart('rotation.db', { SECRET_KEY: secretKey, TOKEN_ENCRYPTION_KEY: newKey.toString('base64') });
    const calendar = await graphql<{ calendar: { defaultCalendar: { id: string } } }>(after.url, CALENDAR, { token: signedIn.sessionToken });
    expect(calendar.errors).toBeUndefined();
    expect(calendar.data?.calendar.defaultCalendar.id).toBeTruthy();
  });
});
