// Browser pages of listed origins may call /graphql across origins (preflight, echoed origin); others get no CORS header.
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const LISTED = 'https://app.example.com';
const UNLISTED = 'https://evil.example.net';
const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-credentials',
  'access-control-max-age',
  'access-control-expose-headers',
];

function preflight(gatewayUrl: string, origin: string, requestHeaders = 'authorization,content-type'): Promise<Response> {
  return fetch(`${gatewayUrl}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });
}

function postHealth(gatewayUrl: string, origin?: string): Promise<Response> {
  return fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    body: JSON.stringify({ query: '{ health { status } }' }),
  });
}

function corsHeadersOf(response: Response): Record<string, string> {
  return Object.fromEntries(CORS_HEADERS.flatMap((name) => (response.headers.has(name) ? [[name, response.headers.get(name)!]] : [])));
}

describe('CORS on /graphql with CORS_ORIGINS', () => {
  let gateway: StartedGateway | undefined;

  beforeAll(async () => {
    gateway = await startTestGateway({ CORS_ORIGINS: `${LISTED},http://localhost:5173`, RATE_LIMITS: 'off' });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('answers a listed origin’s preflight, allowing Authorization and Content-Type, without credentials', async () => {
    const response = await preflight(gateway!.url, LISTED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(response.headers.get('vary')).toMatch(/\borigin\b/i);
    const allowedHeaders = response.headers.get('access-control-allow-headers')!.toLowerCase().split(',');
    expect(allowedHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name']));
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('echoes a listed origin on a POST, which Apollo answers as usual', async () => {
    const response = await postHealth(gateway!.url, 'http://localhost:5173');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('vary')).toMatch(/\borigin\b/i);
    expect(response.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('x-request-id');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(await response.json()).toEqual({ data: { health: { status: expect.any(String) } } });
  });

  it('gives an unlisted origin no CORS header, on its preflight or its POST', async () => {
    const refused = await preflight(gateway!.url, UNLISTED);
    expect(corsHeadersOf(refused)).toEqual({});
    await refused.body?.cancel();
    const posted = await postHealth(gateway!.url, UNLISTED);
    expect(corsHeadersOf(posted)).toEqual({});
    await posted.body?.cancel();
  });

  it('does not allow a local development server outside sandbox mode', async () => {
    const response = await preflight(gateway!.url, 'http://localhost:3000');
    expect(corsHeadersOf(response)).toEqual({});
    await response.body?.cancel();
  });

  it('leaves requests without an Origin (server-side clients) as they were', async () => {
    const response = await postHealth(gateway!.url);
    expect(response.status).toBe(200);
    expect(corsHeadersOf(response)).toEqual({});
    await response.body?.cancel();
  });

  it('keeps Apollo’s CSRF prevention: a listed origin’s simple GET without a preflight header is refused', async () => {
    const response = await fetch(`${gateway!.url}/graphql?query=${encodeURIComponent('{ health { status } }')}`, { headers: { origin: LISTED } });
    expect(response.status).toBe(400);
    await response.body?.cancel();
  });
});

describe('CORS in sandbox mode', () => {
  let sandbox: Sandbox | undefined;
  let gateway: StartedGateway | undefined;

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
    gateway = await startTestGateway({ SANDBOX: 'on', RATE_LIMITS: 'off', CORS_ORIGINS: LISTED }, { sandbox });
  });

  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
  });

  it.each(['http://localhost:5173', 'http://127.0.0.1:8080', 'http://localhost', LISTED])('allows %s', async (origin) => {
    const response = await preflight(gateway!.url, origin);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it.each(['https://localhost:5173', 'http://localhost.example.com:5173', 'http://192.168.1.10:3000', UNLISTED])('still refuses %s', async (origin) => {
    const response = await preflight(gateway!.url, origin);
    expect(corsHeadersOf(response)).toEqual({});
    await response.body?.cancel();
  });
});
