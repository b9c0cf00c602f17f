// A webhook receiver on a random port: records every delivery, can fail the first ones, and checks signatures.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A valid Standard Webhooks secret for tests (whsec_ + base64 of 24 bytes). */
export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from('test-webhook-secret-0123').toString('base64')}`;

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** The status the receiver answered with. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answers 500 to the next `count` deliveries. */
  failNext(count: number): void;
  /** Deliveries answered 2xx, verified with the package's own Webhook.verify, parsed. */
  accepted(): Array<{ id: string; type: string; timestamp: string; data: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret = TEST_WEBHOOK_SECRET): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failuresLeft = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = failuresLeft > 0 ? 500 : 204;
      if (failuresLeft > 0) failuresLeft -= 1;
      received.push({ headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8'), status });
      response.statusCode = status;
      response.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const verifier = new Webhook(secret);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    failNext: (count) => {
      failuresLeft = count;
    },
    accepted: () =>
      received
        .filter((delivery) => delivery.status < 300)
        .map((delivery) => ({
          id: delivery.headers['webhook-id'],
          ...(verifier.verify(delivery.body, delivery.headers) as { type: string; timestamp: string; data: Record<string, unknown> }),
        })),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
