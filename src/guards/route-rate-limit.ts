// Per-client-address rate limit for plain HTTP routes (the sign-in callback), counted in the same store as the GraphQL limits.
import type { Request, RequestHandler } from 'express';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { FieldRateLimit } from './rate-limits';
import type { RateLimitStore } from './rate-limit-store';

export interface RouteRateLimitOptions {
  /** The route's name in RATE_LIMITS and in the rejection metric, e.g. microsoftCallback. */
  name: string;
  limit: FieldRateLimit;
  store: RateLimitStore;
  clientAddress(request: Request): string;
  onRejected?(name: string): void;
}

const TOO_MANY_PAGE = (retryAfterSeconds: number) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Too many requests</title></head>
<body><h1>Too many requests</h1><p>Too many sign-in attempts came from your address. Try again in ${retryAfterSeconds} seconds.</p></body></html>`;

/** Counts every request to the route per client address; over the limit it answers 429 with Retry-After and a short page. */
export function routeRateLimit(options: RouteRateLimitOptions): RequestHandler {
  const Limiter = options.store.limiterClass as unknown as new (limiterOptions: Record<string, unknown>) => RateLimiterAbstract;
  const basePrefix = typeof options.store.limiterOptions.keyPrefix === 'string' ? `${options.store.limiterOptions.keyPrefix}:` : '';
  const limiter = new Limiter({
    ...options.store.limiterOptions,
    keyPrefix: `${basePrefix}route:${options.name}`,
    points: options.limit.limit,
    duration: options.limit.duration,
  });
  return async (request, response, next) => {
    try {
      await limiter.consume(options.clientAddress(request));
    } catch (rejection) {
      // A store failure (not a verdict) lets the request through: the route must not go down with the counters.
      if (!(rejection instanceof RateLimiterRes)) return next();
      options.onRejected?.(options.name);
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      response.status(429).set({ 'Retry-After': String(retryAfterSeconds), 'Cache-Control': 'no-store' }).type('html').send(TOO_MANY_PAGE(retryAfterSeconds));
      return;
    }
    next();
  };
}
