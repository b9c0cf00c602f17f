// Prometheus instruments of one gateway instance (its own registry: tests run several gateways in one process).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Channel } from '../config/channels';

export interface GraphCallObservation {
  /** A route template, never a concrete URL: e.g. `GET /me/calendarView`, not an event id. */
  route: string;
  /** HTTP status, or 0 when no answer came (timeout, connection refused). */
  status: number;
  durationMs: number;
}

export interface TokenRefreshObservation {
  channel: Channel;
  outcome: 'refreshed' | 'failed' | 'reconnect_required';
}

/** Operation names are chosen by clients: past this many distinct ones, the rest count as "other". */
const MAX_OPERATION_NAMES = 200;
const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  private readonly operations = new Counter({
    name: 'gateway_graphql_operations_total',
    help: 'GraphQL operations by operation name, type and outcome (success or the first error code).',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly operationSeconds = new Histogram({
    name: 'gateway_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency by operation name and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly graphCalls = new Counter({
    name: 'gateway_microsoft_graph_calls_total',
    help: 'Calls to Microsoft Graph by route template and HTTP status (0: no answer).',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly graphCallSeconds = new Histogram({
    name: 'gateway_microsoft_graph_call_duration_seconds',
    help: 'Microsoft Graph call latency by route template.',
    labelNames: ['route'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly tokenRefreshes = new Counter({
    name: 'gateway_token_refreshes_total',
    help: 'Microsoft access-token refreshes by channel and outcome (refreshed, failed, reconnect_required).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly rateLimitRejections = new Counter({
    name: 'gateway_rate_limit_rejections_total',
    help: 'Field calls refused with RATE_LIMITED, by field.',
    labelNames: ['field'] as const,
    registers: [this.registry],
  });
  private readonly webhookDeliveries = new Counter({
    name: 'gateway_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome: delivered, retried (failed, tried again later) or failed (given up).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly sessionsOpened = new Counter({
    name: 'gateway_sessions_opened_total',
    help: 'Gateway sessions opened (completed sign-ins).',
    registers: [this.registry],
  });

  constructor(options: { collectProcessMetrics?: boolean } = {}) {
    if (options.collectProcessMetrics !== false) collectDefaultMetrics({ register: this.registry });
    // Every series starts at zero, so dashboards and alerts see them before the first event.
    this.sessionsOpened.inc(0);
    for (const outcome of ['delivered', 'retried', 'failed']) this.webhookDeliveries.inc({ outcome }, 0);
  }

  onOperation(observation: { operationName?: string | null; operationType?: string; outcome: string; durationMs: number }): void {
    const operation = this.operationLabel(observation.operationName);
    this.operations.inc({ operation, type: observation.operationType ?? 'unknown', outcome: observation.outcome });
    this.operationSeconds.observe({ operation, outcome: observation.outcome }, observation.durationMs / 1000);
  }

  /** For the Graph client's middleware: one call per Graph round trip, retries included. */
  onGraphCall(observation: GraphCallObservation): void {
    this.graphCalls.inc({ route: observation.route, status: String(observation.status) });
    this.graphCallSeconds.observe({ route: observation.route }, observation.durationMs / 1000);
  }

  /** For the token service: each refresh attempt against the identity platform. */
  onTokenRefresh(observation: TokenRefreshObservation): void {
    this.tokenRefreshes.inc({ channel: observation.channel, outcome: observation.outcome });
  }

  onRateLimited(field: string): void {
    this.rateLimitRejections.inc({ field });
  }

  /** For the webhook outbox: each delivery attempt's outcome. */
  onWebhookAttempt(outcome: 'delivered' | 'retried' | 'failed'): void {
    this.webhookDeliveries.inc({ outcome });
  }

  /** For sign-in completion: each session handed out. */
  onSessionOpened(): void {
    this.sessionsOpened.inc();
  }

  /** The exposition in Prometheus' text format, with its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!SAFE_NAME.test(name)) return 'invalid';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }
}
