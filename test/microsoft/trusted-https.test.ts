// The request helper behind msal-node and Graph: a total deadline and a response size cap.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTrustedAgent, httpsRequest, MAX_RESPONSE_BYTES } from '../../src/microsoft/trusted-https';

let server: http.Server | undefined;
let baseUrl = '';
const agent = createTrustedAgent();

beforeAll(async () => {
  server = http.createServer((request, response) => {
    if (request.url === '/trickle') {
      // One byte every 50 ms: never idle long enough for a socket timeout, but slow overall.
      let sent = 0;
      const timer = setInterval(() => {
        sent += 1;
        if (sent >= 40 || response.destroyed) {
          clearInterval(timer);
          response.end();
        } else response.write('x');
      }, 50);
      response.on('close', () => clearInterval(timer));
      return;
    }
    if (request.url === '/huge') {
      response.end(Buffer.alloc(MAX_RESPONSE_BYTES + 1024, 'a'));
      return;
    }
    response.end('ok');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
});

afterAll(async () => {
  agent.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

it('answers a normal request', async () => {
  await expect(httpsRequest(agent, `${baseUrl}/`, { timeoutMs: 1000 })).resolves.toEqual(expect.objectContaining({ status: 200, body: 'ok' }));
});

it('ends an answer that trickles in past the deadline', async () => {
  // The trickle would end well by itself after 2 s; the deadline cuts it off first.
  await expect(httpsRequest(agent, `${baseUrl}/trickle`, { timeoutMs: 300 })).rejects.toThrow(/timed out after 300 ms/);
});

it('refuses an answer larger than the cap instead of buffering it', async () => {
  await expect(httpsRequest(agent, `${baseUrl}/huge`, { timeoutMs: 5000 })).rejects.toThrow(/exceeded/);
});

it('refuses plain HTTP to a host that is not loopback', async () => {
  await expect(httpsRequest(agent, 'http://graph.example.com/v1.0/me')).rejects.toThrow(/Refusing plain HTTP/);
});
