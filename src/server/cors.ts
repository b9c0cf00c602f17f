// Cross-origin access to /graphql for the browser pages of listed origins, through the `cors` middleware.
import cors from 'cors';
import type { NodeMiddleware } from './node-middleware';

export interface CorsPolicy {
  /** Exact origins (scheme://host[:port]) from CORS_ORIGINS. */
  origins: readonly string[];
  /** Sandbox mode: any local development server on this machine (http://localhost:* and http://127.0.0.1:*). */
  allowsLoopbackOrigins: boolean;
}

const LOOPBACK_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/;

/**
 * Authorization carries the session token; apollo-require-preflight and x-apollo-operation-name are the headers
 * Apollo's CSRF prevention accepts on GET requests; x-request-id lets a client name its request in our logs.
 */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Apollo-Require-Preflight', 'X-Apollo-Operation-Name', 'X-Request-Id'];

/** Browsers reuse a preflight this long; short enough that an origin removed from CORS_ORIGINS stops working soon. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export function isCorsOriginAllowed(origin: string, policy: CorsPolicy): boolean {
  return policy.origins.includes(origin) || (policy.allowsLoopbackOrigins && LOOPBACK_ORIGIN.test(origin));
}

/**
 * A listed origin gets its own value echoed (with Vary: Origin) and its preflight answered 204; any other origin gets
 * no CORS header at all, so its browser refuses to hand the answer to the page. No credentials: sessions travel in
 * the Authorization header, never in cookies. Undefined when no origin may call, so /graphql runs without it.
 */
export function createCorsMiddleware(policy: CorsPolicy): NodeMiddleware | undefined {
  if (policy.origins.length === 0 && !policy.allowsLoopbackOrigins) return undefined;
  const corsMiddleware = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && isCorsOriginAllowed(origin, policy)),
    methods: ['GET', 'POST'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: ['X-Request-Id'],
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
  return (request, response, next) => {
    // Server-side clients send no Origin: they pay one header lookup, not the middleware.
    if (request.headers.origin === undefined) return next();
    corsMiddleware(request, response, () => next());
  };
}
