// The caller's address for per-client limits: the right-most X-Forwarded-For entry, only when TRUST_PROXY says so.
import type { IncomingMessage } from 'node:http';

export function clientAddressOf(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    // The client writes any entries it likes on the left; the right-most one is what our trusted proxy saw.
    const forwarded = request.headers['x-forwarded-for'];
    const joined = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const nearest = joined?.split(',').map((entry) => entry.trim()).filter(Boolean).pop();
    if (nearest) return nearest;
  }
  return request.socket.remoteAddress ?? 'unknown';
}

export function bearerTokenOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}
