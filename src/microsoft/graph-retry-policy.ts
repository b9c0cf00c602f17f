// Pure retry decisions for Graph calls: which statuses to retry, how long to wait, and when the budget is spent.
// Graph asks clients to honour Retry-After on 429/503/504: https://learn.microsoft.com/graph/throttling

/** 429 throttled, 503 unavailable, 504 gateway timeout: the statuses Graph documents as worth retrying. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

export interface RetryPolicy {
  /** Total time a request may spend, waits included, before the gateway gives up. */
  budgetMs: number;
  /** First backoff when Graph sends no Retry-After; doubles per attempt. */
  baseDelayMs: number;
  /** Longest single backoff without Retry-After. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { budgetMs: 10_000, baseDelayMs: 250, maxDelayMs: 4_000 };

export interface RetryQuestion {
  status: number;
  /** Retries already made (0 after the first response). */
  attempt: number;
  /** The raw Retry-After header, if any. */
  retryAfter?: string | null;
  /** Time spent on this request so far. */
  elapsedMs: number;
  nowMs: number;
  /** A number in [0, 1) for jitter; Math.random in production, fixed in tests. */
  random: number;
}

export type RetryDecision = { shouldRetry: true; delayMs: number } | { shouldRetry: false };

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || !/[a-z]/i.test(trimmed)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Exponential backoff with "full jitter" between half and the whole step, capped. */
export function backoffDelayMs(attempt: number, random: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + (step / 2) * random);
}

/** Whether to send the request again, and after how long, without overrunning the budget. */
export function decideRetry(question: RetryQuestion, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision {
  if (!RETRYABLE_STATUSES.has(question.status)) return { shouldRetry: false };
  const asked = parseRetryAfterMs(question.retryAfter, question.nowMs);
  const delayMs = asked ?? backoffDelayMs(question.attempt, question.random, policy);
  if (question.elapsedMs + delayMs > policy.budgetMs) return { shouldRetry: false };
  return { shouldRetry: true, delayMs };
}

/** The whole seconds a client should wait, from the last Retry-After (at least 1). */
export function retryAfterSeconds(header: string | null | undefined, nowMs: number): number {
  const asked = parseRetryAfterMs(header, nowMs);
  return Math.max(1, Math.ceil((asked ?? 1000) / 1000));
}
