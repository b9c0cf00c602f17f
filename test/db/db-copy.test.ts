// npm run db:copy: a SQLite gateway's users, sessions and encrypted tokens move to PostgreSQL and keep working there.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Channel } from '../../src/config/channels';
import { sha256Hex } from '../../src/crypto/secrets';
import { openSqliteDatabase } from '../../src/db/database';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { describeOnPostgres, queryValue, runStatement } from '../support/databases';
import { graphql } from '../support/http';
import { signInAs, startSignIn } from '../support/microsoft-sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const REPOSITORY_ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);

/** `npm run db:copy -- --from … --to …`, from the TypeScript source; resolves with its output and exit code. */
async function dbCopy(from: string, to: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = join(REPOSITORY_ROOT, 'src/scripts/db-copy.ts');
  const register = join(REPOSITORY_ROOT, 'test/scale/support/register-typescript.js');
  try {
    const { stdout, stderr } = await run(process.execPath, ['-r', register, script, '--from', from, '--to', to], {
      cwd: REPOSITORY_ROOT,
      env: { PATH: process.env.PATH ?? '' },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describeOnPostgres('db:copy from SQLite', (target) => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-copy-'));
  const sqliteUrl = `file:${join(folder, 'gateway.db')}`;
  const postgresUrl = target.freshUrl();
  const gateways: StartedGateway[] = [];
  let sandbox: Sandbox | undefined;
  let env: Record<string, string> = {};

  beforeAll(async () => {
    // Throttles and lifetimes as Microsoft's; both gateways are the same registered app with the same keys.
    sandbox = await startSandbox({ quiet: true });
    const caFile = join(folder, 'sandbox-ca.pem');
    writeFileSync(caFile, sandbox.caCertificatePem);
    const app = { clientId: `copy-${randomUUID()}`, clientSecret: randomBytes(24).toString('base64url'), redirectUris: ['http://localhost:4000/auth/microsoft/callback'] };
    sandbox.registerApp(app);
    env = {
      SANDBOX: 'off',
      RATE_LIMITS: 'off',
      SECRET_KEY: randomBytes(32).toString('base64url'),
      MICROSOFT_AUTHORITY_HOST: sandbox.authorityHost,
      MICROSOFT_GRAPH_BASE_URL: sandbox.graphBaseUrl,
      MICROSOFT_CA_FILE: caFile,
      MICROSOFT_CLIENT_ID: app.clientId,
      MICROSOFT_CLIENT_SECRET: app.clientSecret,
      MICROSOFT_REDIRECT_URI: app.redirectUris[0],
      CHANNELS: 'main',
    };
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await sandbox?.close();
    rmSync(folder, { recursive: true, force: true });
    await target.dropAll();
  });

  it('copies a signed-in user whose session and stored tokens then work on PostgreSQL', async () => {
    const email = sandbox!.users[0].email;
    // A short-lived access token: on PostgreSQL the copied refresh token must be used at once.
    sandbox!.control.setAccessTokenLifetime(120);
    const onSqlite = await startTestGateway({ ...env, DATABASE_URL: sqliteUrl });
    gateways.push(onSqlite);
    const signedIn = await signInAs(onSqlite.url, email);
    const pending = await startSignIn(onSqlite.url, { loginHint: email });
    await startSignIn(onSqlite.url, { loginHint: email });
    // Only the first pending sign-in is still open; the used and the expired states stay behind.
    await runStatement(onSqlite.database, 'UPDATE oauth_states SET expires_at = ? WHERE state_hash <> ?', [Date.now() - 1, sha256Hex(pending.state)]);
    await onSqlite.close();

    const copied = await dbCopy(sqliteUrl, postgresUrl);
    expect(copied).toMatchObject({ code: 0, stderr: '' });
    expect(copied.stdout).toMatch(/^copied 1 users, 1 sessions, 1 pending sign-ins, 1 in microsoft_oauth_tokens, 0 in beta_microsoft_oauth_tokens, 1 token events from /);
    expect(`${copied.stdout}${copied.stderr}`).not.toContain(signedIn.sessionToken);

    sandbox!.control.resetCounters();
    const onPostgres = await startTestGateway({ ...env, DATABASE_URL: postgresUrl });
    gateways.push(onPostgres);
    const viewer = await graphql<{ viewer: { id: string; email: string } }>(onPostgres.url, '{ viewer { id email } }', { token: signedIn.sessionToken });
    expect(viewer.data?.viewer).toEqual({ id: signedIn.viewer.id, email });
    const token = await onPostgres.services.tokenService.getAccessToken(signedIn.viewer.id, Channel.MAIN);
    expect(token).toEqual(expect.any(String));
    expect(sandbox!.control.counters().refreshGrantsByUser[email]).toBe(1);
    expect(await queryValue(onPostgres.database, 'SELECT state_hash FROM oauth_states')).toBe(sha256Hex(pending.state));
    const events = await queryValue<number>(onPostgres.database, "SELECT count(*) AS n FROM token_events WHERE kind = 'refreshed' AND user_id = ?", [signedIn.viewer.id]);
    expect(events).toBe(1);
  });

  it('refuses to copy into a target that already holds data, and changes nothing', async () => {
    const source = openSqliteDatabase(sqliteUrl, { migrate: false });
    const usersInSource = source.sqlite.prepare('SELECT count(*) FROM users').pluck().get();
    source.close();
    const again = await dbCopy(sqliteUrl, postgresUrl);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^db:copy failed, nothing was copied: the PostgreSQL target is not empty \(table users has rows\)/);
    const onPostgres = gateways[gateways.length - 1];
    expect(await queryValue(onPostgres.database, 'SELECT count(*) AS n FROM users')).toBe(usersInSource);
  });

  it('refuses a source or target of the wrong kind', async () => {
    expect(await dbCopy(postgresUrl, postgresUrl)).toMatchObject({ code: 1, stderr: expect.stringContaining('--from must name a SQLite file') });
    expect(await dbCopy(sqliteUrl, sqliteUrl)).toMatchObject({ code: 1, stderr: expect.stringContaining('--to must be a postgres:// URL') });
  });
});
