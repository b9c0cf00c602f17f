// One Microsoft Graph client per channel, built once at start-up, and the one place the gateway sends Graph requests.
import type https from 'node:https';
import { Client, GraphError, type GraphRequest } from '@microsoft/microsoft-graph-client';
import { ALL_CHANNELS, type Channel } from '../config/channels';
import type { GatewayConfig } from '../config/config.types';
import { GatewayError } from '../errors/gateway-errors';
import { GraphBatcher, type BatchOutcome } from './graph-batch';
import { classifyGraphFailure } from './graph-errors';
import { localThenShared, MailboxLimiter, type MailboxSlots } from './graph-mailbox-limiter';
import {
  GraphAuthMiddleware,
  GraphCallOptions,
  GraphObserverMiddleware,
  GraphRetryMiddleware,
  MailboxConcurrencyMiddleware,
  type AccessTokenSource,
  type GraphCallObserver,
} from './graph-middleware';
import type { RetryPolicy } from './graph-retry-policy';
import { createTrustedAgent, TrustedHttpMessageHandler } from './trusted-https';

export interface GraphClientsOptions {
  config: Pick<GatewayConfig, 'graphBaseUrl' | 'extraCaPem' | 'channels'>;
  tokens: AccessTokenSource;
  /** Metrics hook: one call per HTTP attempt. */
  onGraphCall?: GraphCallObserver;
  retryPolicy?: RetryPolicy;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  concurrentRequestsPerMailbox?: number;
  /** Slots shared by every instance (Redis), taken after this instance's own; without it the bound is per instance. */
  sharedMailboxSlots?: MailboxSlots;
}

export interface GraphCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below the version, built from encoded segments only (see encodeGraphId). */
  path: string;
  /** Path and query below the version of a link Graph handed out (an @odata.nextLink, see ownLink); replaces path, query and select. */
  linkPathAndQuery?: string;
  /** A route name without ids, for metrics, e.g. 'GET /me/events/{id}'. */
  route: string;
  /** Raw values: encoded here, never spliced unencoded. */
  query?: Record<string, string | number>;
  select?: readonly string[];
  headers?: Record<string, string>;
  body?: unknown;
  /** What a 404 names in NOT_FOUND's message. */
  what?: string;
  /** The argument a malformed-id answer (ErrorInvalidIdMalformed) names as BAD_USER_INPUT's field; 'id' by default. */
  idField?: string;
  /** The argument a refused time zone (TimeZoneNotSupportedException) names as BAD_USER_INPUT's field; 'timeZone' by default. */
  timeZoneField?: string;
}

/** Outlook's limit is per app and mailbox, and each channel is its own app: shared slots are counted per channel. */
function onChannel(channel: Channel, shared: MailboxSlots | undefined): MailboxSlots | undefined {
  return shared && { run: (userId, task) => shared.run(`${channel}:${userId}`, task) };
}

/** A Graph id as one URL path segment. Ids are validated before; encoding keeps '/' and '?' from ever steering the URL. */
export function encodeGraphId(id: string): string {
  return encodeURIComponent(id);
}

export class GraphClients {
  private readonly agent: https.Agent;
  private readonly clients = new Map<Channel, Client>();
  private readonly versions = new Map<Channel, string>();
  private readonly baseUrl: string;
  private readonly batcher: GraphBatcher;

  constructor(options: GraphClientsOptions) {
    this.batcher = new GraphBatcher(options.retryPolicy);
    this.agent = createTrustedAgent({ caPem: options.config.extraCaPem, keepAlive: true });
    this.baseUrl = options.config.graphBaseUrl.replace(/\/+$/, '');
    const host = new URL(options.config.graphBaseUrl).hostname;
    for (const channel of ALL_CHANNELS) {
      const auth = new GraphAuthMiddleware(options.tokens, channel);
      const retry = new GraphRetryMiddleware(options.retryPolicy);
      const limiter = new MailboxConcurrencyMiddleware(
        localThenShared(new MailboxLimiter(options.concurrentRequestsPerMailbox ?? 4), onChannel(channel, options.sharedMailboxSlots)),
      );
      const observer = new GraphObserverMiddleware(options.onGraphCall);
      const transport = new TrustedHttpMessageHandler(this.agent, options.timeoutMs ?? 10_000);
      auth.setNext(retry);
      retry.setNext(limiter);
      limiter.setNext(observer);
      observer.setNext(transport);
      this.versions.set(channel, options.config.channels[channel].graphVersion);
      this.clients.set(channel, Client.initWithMiddleware({
        middleware: auth,
        baseUrl: options.config.graphBaseUrl.replace(/\/+$/, ''),
        defaultVersion: options.config.channels[channel].graphVersion,
        customHosts: new Set([host]),
      }));
    }
  }

  /** Sends one request on the caller's behalf; failures become contract errors (GatewayError). */
  async send<T>(channel: Channel, userId: string, call: GraphCall): Promise<T> {
    const callOptions = new GraphCallOptions(userId, call.route);
    const request = this.build(channel, call).middlewareOptions([callOptions]);
    try {
      return (await this.dispatch(request, call)) as T;
    } catch (error) {
      if (callOptions.failure !== undefined) throw callOptions.failure;
      if (error instanceof GatewayError) throw error;
      if (error instanceof GraphError) {
        throw classifyGraphFailure({ statusCode: error.statusCode, code: error.code, retryAfter: error.headers?.get('retry-after') }, call.what, Date.now(), call.idField, call.timeZoneField);
      }
      throw classifyGraphFailure({ statusCode: -1 }, call.what);
    }
  }

  /** Sends GET calls as JSON batches ($batch), each settled on its own: one outcome per call, in order. */
  sendBatch<T>(channel: Channel, userId: string, calls: readonly GraphCall[]): Promise<Array<BatchOutcome<T>>> {
    return this.batcher.send<T>((call) => this.send(channel, userId, call), calls);
  }

  /**
   * The path and query of a nextLink Graph returned, if it points at Graph's own origin and API version; undefined otherwise, so a
   * tampered or surprising answer can never steer the caller's token to another host.
   */
  ownLink(channel: Channel, link: string): string | undefined {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      return undefined;
    }
    const base = new URL(this.baseUrl);
    const version = this.versions.get(channel);
    if (url.origin !== base.origin || url.username || url.password || !url.pathname.startsWith(`/${version}/`)) return undefined;
    // Relative to the version: the Graph client sends it to its own base URL, so the host cannot change on the way.
    return `${url.pathname.slice(version!.length + 1)}${url.search}`;
  }

  close(): void {
    this.agent.destroy();
  }

  private build(channel: Channel, call: GraphCall): GraphRequest {
    const client = this.clients.get(channel);
    if (!client) throw new Error(`No Graph client for channel ${channel}`);
    let request = client.api(call.linkPathAndQuery ?? `/${call.path.replace(/^\/+/, '')}`);
    if (call.linkPathAndQuery) return call.headers ? request.headers(call.headers) : request;
    if (call.select?.length) request = request.select([...call.select]);
    const query = Object.fromEntries(Object.entries(call.query ?? {}).map(([name, value]) => [name, encodeURIComponent(String(value))]));
    if (Object.keys(query).length > 0) request = request.query(query);
    if (call.headers) request = request.headers(call.headers);
    return request;
  }

  private dispatch(request: GraphRequest, call: GraphCall): Promise<unknown> {
    switch (call.method) {
      case 'GET':
        return request.get();
      case 'POST':
        return request.post(call.body);
      case 'PATCH':
        return request.patch(call.body);
      case 'DELETE':
        return request.delete();
    }
  }
}
