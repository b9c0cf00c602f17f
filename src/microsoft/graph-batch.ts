// Sends many Graph calls as JSON batches (at most 20 a batch) and settles each on its own: a throttled item is resent
// alone once its own Retry-After has passed; any other failure is that item's contract error. https://learn.microsoft.com/graph/json-batching
import { GatewayError } from '../errors/gateway-errors';
import type { GraphCall } from './graph-client';
import { classifyGraphFailure } from './graph-errors';
import { decideRetry, DEFAULT_RETRY_POLICY, RETRYABLE_STATUSES, type RetryPolicy } from './graph-retry-policy';

/** Graph's limit on requests in one batch. */
export const MAX_BATCH_REQUESTS = 20;

export type BatchOutcome<T> = { ok: true; value: T } | { ok: false; error: GatewayError };

interface BatchResponseItem {
  id?: string;
  status?: number;
  headers?: Record<string, string>;
  body?: { error?: { code?: string } } | unknown;
}

/** Sends one call through the whole middleware chain (token, retries, mailbox slots); throws contract errors. */
export type SendOne = (call: GraphCall) => Promise<unknown>;

/** The call as a relative URL below the version, as a batch item names it: encoded the way GraphClients encodes. */
export function batchItemUrl(call: GraphCall): string {
  const parts: string[] = [];
  if (call.select?.length) parts.push(`$select=${call.select.map(encodeURIComponent).join(',')}`);
  for (const [name, value] of Object.entries(call.query ?? {})) parts.push(`${name}=${encodeURIComponent(String(value))}`);
  return `/${call.path.replace(/^\/+/, '')}${parts.length > 0 ? `?${parts.join('&')}` : ''}`;
}

/** Splits into batches of at most MAX_BATCH_REQUESTS, in order. */
export function chunksOf<T>(items: readonly T[], size = MAX_BATCH_REQUESTS): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

/** A header of a batch item, whatever its spelling (Graph writes 'Retry-After'). */
function headerOf(item: BatchResponseItem, name: string): string | undefined {
  const entry = Object.entries(item.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class GraphBatcher {
  constructor(private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY) {}

  /** One outcome per call, in the calls' order. The batches go out together; the mailbox limiter paces them. */
  async send<T>(sendOne: SendOne, calls: readonly GraphCall[]): Promise<Array<BatchOutcome<T>>> {
    const outcomes = await Promise.all(chunksOf(calls).map((chunk) => this.sendChunk<T>(sendOne, chunk)));
    return outcomes.flat();
  }

  private async sendChunk<T>(sendOne: SendOne, calls: GraphCall[]): Promise<Array<BatchOutcome<T>>> {
    const startedAt = Date.now();
    let answer: { responses?: BatchResponseItem[] };
    try {
      answer = (await sendOne({
        method: 'POST', path: '$batch', route: 'POST /$batch',
        body: { requests: calls.map((call, index) => ({ id: String(index + 1), method: call.method, url: batchItemUrl(call), ...(call.headers ? { headers: call.headers } : {}) })) },
      })) as { responses?: BatchResponseItem[] };
    } catch (error) {
      return calls.map(() => ({ ok: false, error: asGatewayError(error) }));
    }
    const byId = new Map((answer?.responses ?? []).map((item) => [String(item.id), item]));
    return Promise.all(calls.map((call, index) => this.settle<T>(sendOne, call, byId.get(String(index + 1)), startedAt)));
  }

  private async settle<T>(sendOne: SendOne, call: GraphCall, item: BatchResponseItem | undefined, startedAt: number): Promise<BatchOutcome<T>> {
    // A batch answer without this item's response: Graph did not run it.
    if (!item || typeof item.status !== 'number') return { ok: false, error: classifyGraphFailure({ statusCode: -1 }, call.what) };
    if (item.status >= 200 && item.status < 300) return { ok: true, value: item.body as T };
    const retryAfter = headerOf(item, 'retry-after');
    if (RETRYABLE_STATUSES.has(item.status)) {
      const decision = decideRetry({
        status: item.status, attempt: 0, retryAfter, elapsedMs: Date.now() - startedAt, nowMs: Date.now(), random: Math.random(),
      }, this.policy);
      if (decision.shouldRetry) {
        await sleep(decision.delayMs);
        // Alone this time, through the whole chain: its own retries honour any further Retry-After within their budget.
        return sendOne(call).then((value) => ({ ok: true, value: value as T }), (error: unknown) => ({ ok: false, error: asGatewayError(error) }));
      }
    }
    const code = (item.body as { error?: { code?: string } } | undefined)?.error?.code;
    return { ok: false, error: classifyGraphFailure({ statusCode: item.status, code, retryAfter }, call.what, Date.now(), call.idField, call.timeZoneField) };
  }
}

function asGatewayError(error: unknown): GatewayError {
  return error instanceof GatewayError ? error : classifyGraphFailure({ statusCode: -1 });
}
