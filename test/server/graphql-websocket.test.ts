// Errors a GraphQL subscription socket sends go through the gateway's error formatter, as HTTP answers do.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startSandboxedGateway, stopSandboxedGateway, type SandboxedGateway } from '../support/start-gateway';
import { signInAs } from '../support/sign-in';

describe('errors on the subscription socket', () => {
  let started: Partial<SandboxedGateway> = {};
  beforeAll(async () => {
    started = await startSandboxedGateway(':memory:');
  });
  afterAll(() => stopSandboxedGateway(started, { dropAll: async () => undefined }));

  /** The errors the gateway answers one subscription with. */
  async function subscriptionErrors(query: string, variables: Record<string, unknown>): Promise<unknown> {
    const { sessionToken } = await signInAs(started.gateway!, started.sandbox!.users[0].email);
    const client = createClient({
      url: `${started.gateway!.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${sessionToken}` },
      retryAttempts: 0,
    });
    try {
      return await new Promise((resolve, reject) => {
        client.subscribe({ query, variables }, { next: () => reject(new Error('expected no data')), error: resolve, complete: () => reject(new Error('completed')) });
      });
    } finally {
      await client.dispose();
    }
  }

  it('answers a directive argument the variables leave null with BAD_USER_INPUT, not a socket failure', async () => {
    const failures = await subscriptionErrors('subscription($v: Boolean = true) { calendarChanged { kind @skip(if: $v) eventId } }', { v: null });
    expect(failures).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
  });

  it('reports a query over the limits with QUERY_TOO_COMPLEX and its numbers', async () => {
    const aliases = Array.from({ length: 25 }, (_, index) => `a${index}: eventId`).join(' ');
    const failures = await subscriptionErrors(`subscription { calendarChanged { ${aliases} } }`, {});
    expect(failures).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 20, actual: 25 } })]);
  });
});
