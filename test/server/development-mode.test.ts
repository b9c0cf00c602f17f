// With a real Microsoft app and NODE_ENV unset, `npm start` says loudly what development mode turns on.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config';
import { developmentModeRisks } from '../../src/server/development-mode';
import { startGatewayProcess, type GatewayProcess } from '../scale/support/gateway-processes';

const BANNER_START = 'WARNING: development mode (NODE_ENV=development) with a real Microsoft app';
const LOG_MESSAGE = 'development mode with a real Microsoft app: set NODE_ENV=production for a deployment';
const REAL_APP = { MICROSOFT_CLIENT_ID: '11111111-2222-3333-4444-555555555555', MICROSOFT_CLIENT_SECRET: 'a-client-secret' };

/** The output once `expected` is in (or after a generous wait): it comes through pipes that may lag behind /healthz. */
async function outputWith(gateway: GatewayProcess, expected: string): Promise<string> {
  for (let attempt = 0; attempt < 50 && !gateway.output().includes(expected); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return gateway.output();
}

describe('the development-mode warning at start', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-development-'));
  const processes: GatewayProcess[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((gateway) => gateway.stop()));
    rmSync(folder, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>): Promise<GatewayProcess> {
    const gateway = await startGatewayProcess('development mode', {
      ...REAL_APP,
      SECRET_KEY: randomBytes(32).toString('base64url'),
      DATABASE_URL: `file:${join(folder, `${processes.length}.db`)}`,
      ...env,
    });
    processes.push(gateway);
    return gateway;
  }

  it('writes a warning block to stderr and a warn-level log line, both pointing to NODE_ENV=production', async () => {
    const gateway = await start({});
    const output = await outputWith(gateway, LOG_MESSAGE);
    expect(output).toContain(BANNER_START);
    expect(output).toContain('GraphQL introspection is on');
    expect(output).toContain('the Apollo Sandbox landing page is served on /graphql');
    expect(output).toContain('For a deployment set NODE_ENV=production');
    const logLine = output.split('\n').find((line) => line.includes(LOG_MESSAGE));
    expect(JSON.parse(logLine!)).toMatchObject({ level: 40, nodeEnv: 'development' });
  });

  it('says nothing of the kind with NODE_ENV=production', async () => {
    const gateway = await start({ NODE_ENV: 'production' });
    // The start-up line comes after where the warning would be, in the same batch of log lines.
    const output = await outputWith(gateway, 'gateway listening');
    expect(output).toContain('gateway listening');
    expect(output).not.toContain('development mode');
  });
});

describe('what the warning lists', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-development-risks-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const configWith = (env: Record<string, string>) =>
    loadConfig({ readDotEnv: false, developmentSecretPath: join(folder, 'secret.key'), env: { ...REAL_APP, ...env } });

  it('names a generated key file and listening on every interface when they apply', () => {
    const risks = developmentModeRisks(configWith({}))!.join('\n');
    expect(risks).toContain(`the root secret is a key generated into ${join(folder, 'secret.key')}`);
    expect(risks).toContain('it listens on every network interface (0.0.0.0)');
  });

  it('leaves them out when SECRET_KEY and HOST are set', () => {
    const risks = developmentModeRisks(configWith({ SECRET_KEY: randomBytes(32).toString('base64url'), HOST: '127.0.0.1' }))!.join('\n');
    expect(risks).not.toContain('generated');
    expect(risks).not.toContain('every network interface');
  });

  it('is silent in production and against the built-in sandbox', () => {
    expect(developmentModeRisks(configWith({ NODE_ENV: 'production', SECRET_KEY: randomBytes(32).toString('base64url') }))).toBeUndefined();
    expect(developmentModeRisks(configWith({ MICROSOFT_CLIENT_ID: '' }))).toBeUndefined();
  });
});
