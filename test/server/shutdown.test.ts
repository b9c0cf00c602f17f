// The gateway process stops by itself on SIGTERM and SIGINT: requests in flight finish, then it exits 0.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { graphql } from '../support/http';
import { signInAs } from '../support/microsoft-sign-in';
import { startGatewayProcess, type GatewayProcess } from '../scale/support/gateway-processes';
import { PUBLIC_URL, sharedAppEnvironment } from '../scale/support/shared-app';

const SECRET_KEY = randomBytes(32).toString('base64url');
const STOPPED_BY_ITSELF = { code: 0, signal: null };

describe('stopping the gateway process', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-shutdown-'));
  const processes: GatewayProcess[] = [];
  let sandbox: Sandbox | undefined;

  afterAll(async () => {
    await Promise.all(processes.map((gateway) => gateway.stop()));
    await sandbox?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function start(name: string, env: Record<string, string>): Promise<GatewayProcess> {
    const gateway = await startGatewayProcess(name, { SECRET_KEY, DATABASE_URL: `file:${join(folder, `${processes.length}.db`)}`, ...env });
    processes.push(gateway);
    return gateway;
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('as npm start runs it (built-in sandbox), exits 0 on %s', async (signal) => {
    const gateway = await start(`npm start, ${signal}`, { LOG_LEVEL: 'info' });
    expect((await graphql<{ health: { status: string } }>(gateway.url, '{ health { status } }')).data?.health.status).toBe('OK');

    // Apollo Server's own signal handler once raced the gateway's and left the process running (SIGKILL after 5 s).
    expect(await gateway.stop(signal)).toEqual(STOPPED_BY_ITSELF);
    expect(gateway.output()).toContain('shutting down: finishing in-flight requests');
  });

  it('in production, answers a request in flight on SIGTERM, then exits 0', async () => {
    sandbox = await startSandbox({ quiet: true });
    const gateway = await start('production', { ...sharedAppEnvironment(sandbox, folder), NODE_ENV: 'production', PUBLIC_URL, LOG_LEVEL: 'warn' });
    const { sessionToken } = await signInAs(gateway.url, sandbox.users[0].email);
    sandbox.control.setLatency(1_500, '/me');
    const inFlight = graphql<{ microsoftProfile: { mail: string } }>(gateway.url, '{ microsoftProfile { mail } }', { token: sessionToken });
    // SIGTERM only once the request has reached Microsoft, where the sandbox holds it for 1.5 s.
    while (!sandbox.control.counters().graphRequests['GET /me']) await new Promise((resolve) => setTimeout(resolve, 10));

    expect(await gateway.stop('SIGTERM')).toEqual(STOPPED_BY_ITSELF);
    const answer = await inFlight;
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.microsoftProfile.mail).toBe(sandbox.users[0].email);
  });
});
