// Limits every HTTP connection lives under: slow senders are cut off with 408, and open connections are capped.
import { createServer, type RequestListener, type Server } from 'node:http';

export interface HttpLimits {
  /** Time a client has to send a request's headers (Node answers 408 and closes the connection after it). */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, body included (408 likewise). */
  requestTimeoutMs: number;
  /** Connections open at once; Node closes any beyond it as soon as they are accepted. */
  maxConnections: number;
}

/**
 * Node 20's defaults (60 s for headers, 300 s for a request) let a client that trickles bytes hold a connection for
 * minutes; these hold it seconds. No request of ours needs long to send: GraphQL bodies are capped at 256 kB.
 */
export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 1024,
});

/**
 * Keep-alive longer than typical load balancers' idle timeout (60 s), so they close first. Since Node 18 an idle
 * keep-alive connection is not subject to the headers timeout (that clock starts with a request's first byte), so
 * this may exceed it.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createLimitedServer(limits: HttpLimits, listener: RequestListener): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node looks for expired requests every 30 s by default, which would let a 10 s limit run to 40 s.
      connectionsCheckingInterval: Math.min(1000, Math.max(20, limits.headersTimeoutMs / 10)),
    },
    listener,
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = limits.maxConnections;
  return server;
}
