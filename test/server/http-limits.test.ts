import { keepAliveGet, openRawConnection, trickle, type RawConnection } from '../support/raw-http';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

// Short limits, so a slow sender is cut off within a second; the tests wait for the cut, never time it.
const SHORT_TIMEOUTS = { HTTP_HEADERS_TIMEOUT_SECONDS: '0.3', HTTP_REQUEST_TIMEOUT_SECONDS: '0.6' };

describe('HTTP timeouts for slow senders', () => {
  let gateway: StartedGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway(SHORT_TIMEOUTS);
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('answers 408 and closes the connection when a request body trickles in for longer than the request timeout', async () => {
    const lead = 'POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"query":"';
    const answer = await trickle(gateway!.port, lead, ' ');
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  }, 15_000);

  it('answers 408 and closes the connection when headers trickle in for longer than the headers timeout', async () => {
    const answer = await trickle(gateway!.port, 'GET /healthz HTTP/1.1\r\nHost: gateway\r\nX-Slow: ', 'a');
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  }, 15_000);

  it('keeps an idle keep-alive connection usable past the headers and request timeouts', async () => {
    const connection = await openRawConnection(gateway!.port);
    try {
      expect(await keepAliveGet(connection, '/healthz')).toBe('HTTP/1.1 200 OK');
      // Idle for longer than both timeouts: they start with a request's first byte, not with the connection.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await keepAliveGet(connection, '/healthz')).toBe('HTTP/1.1 200 OK');
    } finally {
      connection.socket.destroy();
    }
  }, 15_000);
});

describe('the connection cap', () => {
  let gateway: StartedGateway | undefined;
  const connections: RawConnection[] = [];
  beforeAll(async () => {
    gateway = await startTestGateway({ MAX_CONNECTIONS: '2' });
  });
  afterAll(async () => {
    for (const connection of connections) connection.socket.destroy();
    await gateway?.close();
  });

  async function connectAndGet(): Promise<{ connection: RawConnection; status: Promise<string> }> {
    const connection = await openRawConnection(gateway!.port);
    connections.push(connection);
    return { connection, status: keepAliveGet(connection, '/healthz') };
  }

  it('closes connections beyond MAX_CONNECTIONS unanswered, and accepts again once one closes', async () => {
    const first = await connectAndGet();
    const second = await connectAndGet();
    // Both answered: the server has accepted and counted them.
    expect(await first.status).toBe('HTTP/1.1 200 OK');
    expect(await second.status).toBe('HTTP/1.1 200 OK');

    const third = await connectAndGet();
    await expect(third.status).rejects.toThrow('connection closed before a complete answer');
    expect(third.connection.received()).toBe('');

    first.connection.socket.destroy();
    // The server counts the closed connection out on its own event-loop turn: retry until a new one is accepted.
    let answer: string | undefined;
    while (!answer) answer = await (await connectAndGet()).status.catch(() => undefined);
    expect(answer).toBe('HTTP/1.1 200 OK');
  }, 15_000);
});
