// A small local HTTP server standing in for a webhook receiver: answers Graph's validation handshake and records notifications.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  path: string;
  query: URLSearchParams;
  contentType: string;
  body: string;
}

export interface ReceiverReply {
  status: number;
  contentType?: string;
  body?: string;
  /** Never answers (for timeouts); the connection is dropped at close. */
  hang?: boolean;
}

/** How a receiver answers; the default echoes validation tokens as text/plain and accepts notifications with 202. */
export type ReceiverBehaviour = (post: ReceivedPost) => ReceiverReply;

export const politeReceiver: ReceiverBehaviour = (post) => {
  const token = post.query.get('validationToken');
  return token !== null ? { status: 200, contentType: 'text/plain', body: token } : { status: 202 };
};

export interface NotificationReceiver {
  /** The receiver's URL for a path, e.g. url('/notify'). */
  url(path: string): string;
  posts: ReceivedPost[];
  /** Every notification (items of `value`) posted to a path, in arrival order; validation requests excluded. */
  notifications(path: string): Array<Record<string, any>>;
  behaviour: ReceiverBehaviour;
  /** Resolves with the next notification POST to a path (validation requests excluded). */
  nextNotification(path: string): Promise<ReceivedPost>;
  close(): Promise<void>;
}

export async function startNotificationReceiver(behaviour: ReceiverBehaviour = politeReceiver): Promise<NotificationReceiver> {
  const posts: ReceivedPost[] = [];
  const waiters: Array<{ path: string; resolve: (post: ReceivedPost) => void }> = [];
  const receiver: NotificationReceiver = {
    url: (path) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    posts,
    notifications: (path) => posts
      .filter((post) => post.path === path && !post.query.has('validationToken'))
      .flatMap((post) => (JSON.parse(post.body) as { value: Array<Record<string, any>> }).value),
    behaviour,
    nextNotification: (path) => new Promise((resolve) => waiters.push({ path, resolve })),
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://receiver');
      const post = { path: url.pathname, query: url.searchParams, contentType: String(request.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') };
      posts.push(post);
      const reply = receiver.behaviour(post);
      const waiter = post.query.has('validationToken') ? -1 : waiters.findIndex((candidate) => candidate.path === post.path);
      if (waiter >= 0) waiters.splice(waiter, 1)[0].resolve(post);
      if (reply.hang) return;
      response.writeHead(reply.status, reply.contentType ? { 'content-type': reply.contentType } : {});
      response.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return receiver;
}
