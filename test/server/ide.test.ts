// GET /graphql shows an IDE served from the gateway itself outside production, Apollo Sandbox on request, nothing in production; GET / leads there.
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

async function gatewayWith(env: Record<string, string>, run: (gateway: StartedGateway) => Promise<void>): Promise<void> {
  let gateway: StartedGateway | undefined;
  try {
    gateway = await startTestGateway(env);
    await run(gateway);
  } finally {
    await gateway?.close();
  }
}

describe('the GraphQL IDE in development', () => {
  let gateway: StartedGateway | undefined;

  beforeAll(async () => {
    gateway = await startTestGateway({ NODE_ENV: 'development' });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('serves ruru’s page at GET /graphql to a browser, under a policy that allows only the gateway itself', async () => {
    const response = await fetch(`${gateway!.url}/graphql`, { headers: HTML });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toMatch(/https?:|\*/);
    const page = await response.text();
    expect(page).toContain('<div id="ruru-root">');
    // Every script and style sheet comes from the gateway: no CDN, no inline script.
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page).not.toMatch(/<script(?![^>]*(type="application\/json"|src="\/graphql-ide\/))[^>]*>/);
  });

  it('serves the IDE’s files from the installed package', async () => {
    for (const file of ['ruru.js', 'ruru.css', 'graphqlWorker.js', 'gateway-ide.js']) {
      const response = await fetch(`${gateway!.url}/graphql-ide/${file}`);
      expect({ file, status: response.status }).toEqual({ file, status: 200 });
      expect(response.headers.get('content-type')).toMatch(/^(text\/javascript|text\/css)/);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    const missing = await fetch(`${gateway!.url}/graphql-ide/nothing-here.js`);
    expect(missing.status).toBe(404);
    await missing.body?.cancel();
  });

  it('logs each file with its full path', async () => {
    const response = await fetch(`${gateway!.url}/graphql-ide/ruru.css`);
    await response.arrayBuffer();
    // The access log line is written once the answer has finished.
    await new Promise((resolve) => setImmediate(resolve));
    const paths = gateway!.logLines.map((line) => JSON.parse(line) as { msg: string; path?: string }).filter((line) => line.msg === 'http request').map((line) => line.path);
    expect(paths).toContain('/graphql-ide/ruru.css');
  });

  it('keeps Apollo Sandbox available with ?ide=apollo', async () => {
    const response = await fetch(`${gateway!.url}/graphql?ide=apollo`, { headers: HTML });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toMatch(/apollo/i);
    expect(page).not.toContain('ruru-root');
  });

  it('still answers GraphQL over GET and POST', async () => {
    const response = await fetch(`${gateway!.url}/graphql?query=${encodeURIComponent('{ health { status } }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { health: { status: expect.any(String) } } });
  });

  it('redirects GET / to /graphql', async () => {
    const response = await fetch(`${gateway!.url}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/graphql');
    await response.body?.cancel();
  });
});

describe('choosing the IDE', () => {
  it('shows Apollo Sandbox by default with GRAPHQL_IDE=apollo, and ruru with ?ide=ruru', () =>
    gatewayWith({ NODE_ENV: 'development', GRAPHQL_IDE: 'apollo' }, async (gateway) => {
      expect(await (await fetch(`${gateway.url}/graphql`, { headers: HTML })).text()).not.toContain('ruru-root');
      expect(await (await fetch(`${gateway.url}/graphql?ide=ruru`, { headers: HTML })).text()).toContain('ruru-root');
    }));

  it('shows no IDE at all with GRAPHQL_IDE=off', () =>
    gatewayWith({ NODE_ENV: 'development', GRAPHQL_IDE: 'off' }, async (gateway) => {
      for (const path of ['/graphql', '/graphql?ide=apollo', '/graphql?ide=ruru']) {
        const response = await fetch(`${gateway.url}${path}`, { headers: HTML });
        expect({ path, isHtml: /text\/html/.test(response.headers.get('content-type') ?? '') }).toEqual({ path, isHtml: false });
        await response.body?.cancel();
      }
      const asset = await fetch(`${gateway.url}/graphql-ide/ruru.js`);
      expect(asset.status).toBe(404);
      await asset.body?.cancel();
    }));
});

describe('in production', () => {
  const production = { NODE_ENV: 'production', TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };

  it('serves no IDE, neither ruru nor Apollo Sandbox, nor their files', () =>
    gatewayWith(production, async (gateway) => {
      for (const path of ['/graphql', '/graphql?ide=apollo', '/graphql?ide=ruru']) {
        const response = await fetch(`${gateway.url}${path}`, { headers: HTML });
        expect({ path, isHtml: /text\/html/.test(response.headers.get('content-type') ?? '') }).toEqual({ path, isHtml: false });
        await response.body?.cancel();
      }
      for (const file of ['ruru.js', 'gateway-ide.js']) {
        const response = await fetch(`${gateway.url}/graphql-ide/${file}`);
        expect(response.status).toBe(404);
        await response.body?.cancel();
      }
    }));

  it('answers GET / with one plain-text line', () =>
    gatewayWith(production, async (gateway) => {
      const response = await fetch(`${gateway.url}/`, { redirect: 'manual' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toBe('ms-graph-gateway: GraphQL at /graphql\n');
    }));
});
