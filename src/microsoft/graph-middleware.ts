// The Graph client's middleware chain: caller's token, budgeted retries, per-mailbox concurrency, metered transport.
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { Channel } from '../config/channels';
import type { MailboxSlots } from './graph-mailbox-limiter';
import { decideRetry, backoffDelayMs, DEFAULT_RETRY_POLICY, type RetryPolicy } from './graph-retry-policy';

/** Hands out the caller's Graph access token (the token service). Throws contract errors. */
export interface AccessTokenSource {
  getAccessToken(userId: string, channel: Channel, options?: { forceRefresh?: boolean; rejectedToken?: string }): Promise<string>;
}

/** Called once per HTTP attempt to Graph; status 0 when no response came. For metrics. */
export type GraphCallObserver = (route: string, status: number, durationMs: number) => void;

/** Per-request facts the chain needs: whose mailbox, and a route name without ids for metrics. */
export class GraphCallOptions implements MiddlewareOptions {
  /** A contract error raised inside the chain (the Graph client would otherwise wrap it and lose it). */
  failure?: unknown;

  constructor(readonly userId: string, readonly route: string) {}
}

export function callOptionsOf(context: Context): GraphCallOptions {
  const options = context.middlewareControl?.getMiddlewareOptions(GraphCallOptions) as GraphCallOptions | undefined;
  if (!options) throw new Error('Graph request sent without GraphCallOptions');
  return options;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

abstract class ChainLink implements Middleware {
  protected next?: Middleware;

  setNext(next: Middleware): void {
    this.next = next;
  }

  abstract execute(context: Context): Promise<void>;

  protected async forward(context: Context): Promise<void> {
    if (!this.next) throw new Error(`${this.constructor.name} has no next middleware`);
    await this.next.execute(context);
  }
}

/** Adds the caller's token; on 401 InvalidAuthenticationToken (revoked or expired server-side) refreshes once and resends. */
export class GraphAuthMiddleware extends ChainLink {
  constructor(private readonly tokens: AccessTokenSource, private readonly channel: Channel) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const call = callOptionsOf(context);
    const sent = await this.sendWithToken(context, call, {});
    if (context.response?.status === 401 && (await isInvalidToken(context.response))) {
      // Naming the refused token lets concurrent requests that were refused alike share one refresh.
      await this.sendWithToken(context, call, { forceRefresh: true, rejectedToken: sent });
    }
  }

  private async sendWithToken(context: Context, call: GraphCallOptions, options: { forceRefresh?: boolean; rejectedToken?: string }): Promise<string> {
    let token: string;
    try {
      token = await this.tokens.getAccessToken(call.userId, this.channel, options);
    } catch (error) {
      call.failure = error;
      throw error;
    }
    context.options = { ...context.options, headers: { ...headersOf(context), Authorization: `Bearer ${token}` } };
    context.response = undefined;
    await this.forward(context);
    return token;
  }
}

/** Retries 429/503/504 as Retry-After asks (backoff with jitter otherwise) within a total time budget. */
export class GraphRetryMiddleware extends ChainLink {
  constructor(private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const startedAt = Date.now();
    const isIdempotent = ['GET', 'DELETE'].includes((context.options?.method ?? 'GET').toUpperCase());
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.forward(context);
      } catch (error) {
        // No response at all (refused, reset, timed out): only a read or delete is safe to send again.
        const delayMs = backoffDelayMs(attempt, Math.random(), this.policy);
        if (!isIdempotent || callOptionsOf(context).failure || Date.now() - startedAt + delayMs > this.policy.budgetMs) throw error;
        await sleep(delayMs);
        continue;
      }
      const response = context.response;
      if (!response) return;
      const decision = decideRetry({
        status: response.status,
        attempt,
        retryAfter: response.headers.get('retry-after'),
        elapsedMs: Date.now() - startedAt,
        nowMs: Date.now(),
        random: Math.random(),
      }, this.policy);
      if (!decision.shouldRetry) return;
      await response.arrayBuffer().catch(() => undefined);
      await sleep(decision.delayMs);
    }
  }
}

/** Holds each request until its mailbox has one of its few concurrent slots (Outlook's limit is 4). */
export class MailboxConcurrencyMiddleware extends ChainLink {
  constructor(private readonly limiter: MailboxSlots) {
    super();
  }

  execute(context: Context): Promise<void> {
    return this.limiter.run(callOptionsOf(context).userId, () => this.forward(context));
  }
}

/** Times every attempt and reports it to the observer (metrics), whatever its outcome. */
export class GraphObserverMiddleware extends ChainLink {
  constructor(private readonly observe?: GraphCallObserver) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const startedAt = process.hrtime.bigint();
    let status = 0;
    try {
      await this.forward(context);
      status = context.response?.status ?? 0;
    } finally {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      try {
        this.observe?.(callOptionsOf(context).route, status, durationMs);
      } catch {
        // A broken metrics hook must not fail the user's request.
      }
    }
  }
}

function headersOf(context: Context): Record<string, string> {
  const headers = context.options?.headers;
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return { ...(headers as Record<string, string>) };
}

async function isInvalidToken(response: Response): Promise<boolean> {
  try {
    const body = (await response.clone().json()) as { error?: { code?: string } };
    return !body.error?.code || body.error.code === 'InvalidAuthenticationToken';
  } catch {
    return true;
  }
}
