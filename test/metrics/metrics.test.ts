import { Channel } from '../../src/config/channels';
import { graphql } from '../support/http';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

async function scrape(gateway: StartedGateway): Promise<{ status: number; contentType: string | null; text: string }> {
  const response = await fetch(`${gateway.url}/metrics`);
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

describe('/metrics and the request log', () => {
  let gateway: StartedGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway({ RATE_LIMITS: 'startMicrosoftSignIn=1/60', ADMIN_TOKEN: 'admin-secret-value-123' });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('exposes operations by name and outcome with latency, in Prometheus format', async () => {
    await graphql(gateway!.url, 'query HealthCheck { health { status } }');
    await graphql(gateway!.url, 'query HealthCheck { health { status } }');
    await graphql(gateway!.url, 'query Stats { tokenStats { total } }');
    // Operations are counted on the event-loop turn after their answer: long before this next request arrives.
    const { status, contentType, text } = await scrape(gateway!);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('gateway_graphql_operations_total{operation="HealthCheck",type="query",outcome="success"} 2');
    expect(text).toContain('gateway_graphql_operations_total{operation="Stats",type="query",outcome="FORBIDDEN"} 1');
    expect(text).toMatch(/gateway_graphql_operation_duration_seconds_count\{operation="HealthCheck",outcome="success"\} 2/);
    expect(text).toContain('gateway_sessions_opened_total 0');
  });

  it('counts rate-limit rejections by field', async () => {
    await graphql(gateway!.url, 'mutation { startMicrosoftSignIn { state } }');
    await graphql(gateway!.url, 'mutation { startMicrosoftSignIn { state } }');
    expect((await scrape(gateway!)).text).toContain('gateway_rate_limit_rejections_total{field="startMicrosoftSignIn"} 1');
  });

  it('counts what capabilities report through the hooks', async () => {
    const { metrics } = gateway!.services;
    metrics.onGraphCall({ route: 'GET /me/calendarView', status: 200, durationMs: 42 });
    metrics.onGraphCall({ route: 'GET /me/calendarView', status: 429, durationMs: 5 });
    metrics.onTokenRefresh({ channel: Channel.BETA, outcome: 'refreshed' });
    metrics.onTokenRefresh({ channel: Channel.MAIN, outcome: 'failed' });
    metrics.onSessionOpened();
    const { text } = await scrape(gateway!);
    expect(text).toContain('gateway_microsoft_graph_calls_total{route="GET /me/calendarView",status="200"} 1');
    expect(text).toContain('gateway_microsoft_graph_calls_total{route="GET /me/calendarView",status="429"} 1');
    expect(text).toContain('gateway_microsoft_graph_call_duration_seconds_count{route="GET /me/calendarView"} 2');
    expect(text).toContain('gateway_token_refreshes_total{channel="beta",outcome="refreshed"} 1');
    expect(text).toContain('gateway_token_refreshes_total{channel="main",outcome="failed"} 1');
    expect(text).toContain('gateway_sessions_opened_total 1');
  });

  it('keeps client-chosen operation names from blowing up the label set', async () => {
    await graphql(gateway!.url, '{ health { status } }');
    expect((await scrape(gateway!)).text).toContain('gateway_graphql_operations_total{operation="anonymous",type="query",outcome="success"}');
  });

  it('writes one log line per GraphQL request with operation, duration, outcome and request id, and no secrets', async () => {
    const before = gateway!.logLines.length;
    await graphql(gateway!.url, 'query Secretive($channel: Channel) { tokenStats(channel: $channel) { total } }', {
      variables: { channel: 'MAIN' },
      headers: { 'x-admin-token': 'admin-secret-value-123', 'x-request-id': 'log-test-1', authorization: 'Bearer bearer-secret-value' },
    });
    await graphql(gateway!.url, 'query WithSecretVariable($id: ID!) { event(id: $id) { id } }', { variables: { id: 'variable-secret-value' } });
    const lines = gateway!.logLines.slice(before).map((line) => JSON.parse(line));
    const requestLines = lines.filter((line) => line.msg === 'graphql request');
    expect(requestLines).toHaveLength(2);
    expect(requestLines[0]).toMatchObject({ requestId: 'log-test-1', operationName: 'Secretive', outcome: 'success', status: 200 });
    expect(typeof requestLines[0].durationMs).toBe('number');
    const written = gateway!.logLines.join('');
    for (const secret of ['admin-secret-value-123', 'bearer-secret-value', 'variable-secret-value', 'tokenStats {']) {
      expect(written).not.toContain(secret);
    }
  });

  it('logs plain HTTP requests by path only', async () => {
    const before = gateway!.logLines.length;
    await fetch(`${gateway!.url}/healthz?code=query-secret-code`);
    const lines = gateway!.logLines.slice(before).map((line) => JSON.parse(line));
    expect(lines.filter((line) => line.msg === 'http request')).toEqual([expect.objectContaining({ path: '/healthz', status: 200 })]);
    expect(gateway!.logLines.join('')).not.toContain('query-secret-code');
  });
});

describe('metrics of two gateways in one process', () => {
  it('keeps a registry per instance', async () => {
    const first = await startTestGateway();
    const second = await startTestGateway();
    try {
      await graphql(first.url, 'query OnlyFirst { health { status } }');
      expect((await scrape(first)).text).toContain('operation="OnlyFirst"');
      expect((await scrape(second)).text).not.toContain('operation="OnlyFirst"');
    } finally {
      await first.close();
      await second.close();
    }
  });
});
