import { networkInterfaces } from 'node:os';
import { isLoopbackAddress, metricsAccessFor } from '../../src/metrics/metrics-access';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef0123456789';

async function scrape(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/metrics`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('which addresses are loopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.200.3.4', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:127.9.9.9', true],
    ['128.0.0.1', false],
    ['10.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::2', false],
    ['fe80::1', false],
    ['localhost', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});

describe('who may read metrics', () => {
  it.each([
    ['a token is set and the caller sends it', { token: 'secret', isProduction: true }, { bearerToken: 'secret', socketAddress: '10.0.0.1' }, 'allowed'],
    ['a token is set and the caller sends another', { token: 'secret', isProduction: false }, { bearerToken: 'secreT', socketAddress: '127.0.0.1' }, 'needs-token'],
    ['a token is set and the caller sends none, even from loopback', { token: 'secret', isProduction: true }, { socketAddress: '127.0.0.1' }, 'needs-token'],
    ['production without a token, from loopback', { isProduction: true }, { socketAddress: '::ffff:127.0.0.1' }, 'allowed'],
    ['production without a token, from elsewhere', { isProduction: true }, { socketAddress: '192.0.2.7' }, 'loopback-only'],
    ['production without a token, with no known peer', { isProduction: true }, {}, 'loopback-only'],
    ['production without a token, forwarded by a proxy on this host', { isProduction: true }, { socketAddress: '127.0.0.1', isForwarded: true }, 'loopback-only'],
    ['development without a token, from elsewhere', { isProduction: false }, { socketAddress: '192.0.2.7' }, 'allowed'],
  ] as const)('%s', (_case, policy, caller, expected) => {
    expect(metricsAccessFor(policy, caller)).toBe(expected);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let gateway: StartedGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway({ METRICS_TOKEN });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('answers 401 with a Bearer challenge without the token, and never echoes it', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-the-token' }, { authorization: METRICS_TOKEN }] as Array<Record<string, string>>) {
      const refused = await scrape(gateway!.url, headers);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(refused.text).not.toContain('gateway_');
      expect(refused.text).not.toContain(METRICS_TOKEN);
    }
  });

  it('serves metrics with the bearer token', async () => {
    const served = await scrape(gateway!.url, { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(served.status).toBe(200);
    expect(served.text).toContain('gateway_sessions_opened_total');
  });
});

describe('/metrics in production without METRICS_TOKEN', () => {
  const production = { NODE_ENV: 'production', TRUST_PROXY: 'true' };
  // A non-loopback address of this machine, so a caller can reach the gateway from outside 127.0.0.0/8.
  const external = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

  it('serves loopback callers, but not what a proxy on this host forwards', async () => {
    const gateway = await startTestGateway(production);
    try {
      expect((await scrape(gateway.url)).status).toBe(200);
      for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
        expect((await scrape(gateway.url, { [header]: header === 'forwarded' ? 'for=192.0.2.7' : '192.0.2.7' })).status).toBe(403);
      }
    } finally {
      await gateway.close();
    }
  });

  (external ? it : it.skip)('refuses other callers with 403, whatever X-Forwarded-For claims', async () => {
    const gateway = await startTestGateway({ ...production, HOST: external! });
    try {
      for (const headers of [{}, { 'x-forwarded-for': '127.0.0.1' }] as Array<Record<string, string>>) {
        const refused = await scrape(gateway.url, headers);
        expect(refused.status).toBe(403);
        expect(refused.text).not.toContain('gateway_');
      }
    } finally {
      await gateway.close();
    }
  });
});
