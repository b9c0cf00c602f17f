// What `npm start` prints in sandbox mode, including the settings it ignores there.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewayProcess, type GatewayProcess } from '../scale/support/gateway-processes';

const IGNORED_HOSTS_NOTE = 'MICROSOFT_AUTHORITY_HOST / MICROSOFT_GRAPH_BASE_URL are ignored without MICROSOFT_CLIENT_ID';
const BANNER_END = 'Running against the built-in Microsoft sandbox';

/** The output once the banner (one write) is in: it comes through a pipe, which may lag behind the /healthz answer. */
async function bannerOf(gateway: GatewayProcess): Promise<string> {
  for (let attempt = 0; attempt < 50 && !gateway.output().includes(BANNER_END); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return gateway.output();
}

describe('the sandbox-mode start banner', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-banner-'));
  const processes: GatewayProcess[] = [];

  afterAll(async () => {
    await Promise.all(processes.map((gateway) => gateway.stop()));
    rmSync(folder, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>): Promise<GatewayProcess> {
    const gateway = await startGatewayProcess('sandbox mode', {
      SECRET_KEY: randomBytes(32).toString('base64url'),
      DATABASE_URL: `file:${join(folder, `${processes.length}.db`)}`,
      ...env,
    });
    processes.push(gateway);
    return gateway;
  }

  it('says that Microsoft hosts set without an app are ignored (the built-in sandbox runs instead)', async () => {
    const gateway = await start({ MICROSOFT_AUTHORITY_HOST: 'https://127.0.0.1:4443', MICROSOFT_GRAPH_BASE_URL: 'https://127.0.0.1:4443' });
    const banner = await bannerOf(gateway);
    expect(banner).toContain(BANNER_END);
    expect(banner).toContain(IGNORED_HOSTS_NOTE);
  });

  it('says nothing of the kind without them', async () => {
    const gateway = await start({});
    const banner = await bannerOf(gateway);
    expect(banner).toContain(BANNER_END);
    expect(banner).not.toContain(IGNORED_HOSTS_NOTE);
  });

  it('says that browser pages on local development servers may call /graphql', async () => {
    const gateway = await start({});
    expect(await bannerOf(gateway)).toContain('pages on http://localhost:* and http://127.0.0.1:* may call /graphql (CORS)');
  });
});
