import { startTestGateway, type StartedGateway } from '../support/start-gateway';
import { graphql } from '../support/http';
import { describeEachDatabase } from '../support/databases';

describeEachDatabase('health over HTTP', (target) => {
  let gateway: StartedGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway({ CHANNELS: 'main,beta', DATABASE_URL: target.freshUrl() });
  });
  afterAll(async () => {
    await gateway?.close();
    await target.dropAll();
  });

  it('answers health from a real database round trip', async () => {
    const response = await graphql<{ health: { status: string; database: { status: string; latencyMs: number }; channels: unknown[]; sandbox: boolean; version: string } }>(
      gateway!.url,
      '{ health { status version sandbox database { status latencyMs } channels { channel enabled configured authorityHost graphBaseUrl } } }',
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.health.status).toBe('OK');
    expect(response.data!.health.database.status).toBe('OK');
    expect(response.data!.health.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(response.data!.health.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(response.data!.health.channels).toEqual([
      { channel: 'MAIN', enabled: true, configured: true, authorityHost: 'https://login.microsoftonline.com', graphBaseUrl: 'https://graph.microsoft.com' },
      { channel: 'BETA', enabled: true, configured: true, authorityHost: 'https://login.microsoftonline.com', graphBaseUrl: 'https://graph.microsoft.com' },
    ]);
    expect(JSON.stringify(response.data)).not.toContain('test-client-secret');
  });

  it('returns a request id on every response, keeping a safe one the caller sent', async () => {
    const response = await fetch(`${gateway!.url}/healthz`, { headers: { 'x-request-id': 'caller-id-123' } });
    expect(response.headers.get('x-request-id')).toBe('caller-id-123');
    const generated = await fetch(`${gateway!.url}/healthz`, { headers: { 'x-request-id': 'bad id!' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers /healthz with 200 while the database answers', async () => {
    const response = await fetch(`${gateway!.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('refuses malformed JSON with a clear 400 and no stack trace', async () => {
    const response = await fetch(`${gateway!.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[0].message).toBe('The request body is not valid JSON.');
    expect(gateway!.logLines.join('')).not.toMatch(/SyntaxError|at JSON\.parse/);
  });
});

describeEachDatabase('health when a channel lacks settings or the database is gone', (target) => {
  afterAll(() => target.dropAll());

  it('reads DEGRADED for an enabled channel without settings, then DOWN and 503 once the database is closed', async () => {
    const gateway = await startTestGateway({ MICROSOFT_CLIENT_ID: '', MICROSOFT_CLIENT_SECRET: '', DATABASE_URL: target.freshUrl() });
    try {
      const degraded = await graphql<{ health: { status: string } }>(gateway.url, '{ health { status } }');
      expect(degraded.data!.health.status).toBe('DEGRADED');
      await gateway.database.close();
      const down = await graphql<{ health: { status: string; database: { status: string } } }>(gateway.url, '{ health { status database { status } } }');
      expect(down.data!.health).toEqual({ status: 'DOWN', database: { status: 'DOWN' } });
      expect((await fetch(`${gateway.url}/healthz`)).status).toBe(503);
    } finally {
      await gateway.close();
    }
  });
});
