import { backoffDelayMs, decideRetry, parseRetryAfterMs, retryAfterSeconds } from '../../src/microsoft/graph-retry-policy';

const NOW = Date.parse('2026-01-15T12:00:00Z');

describe('parseRetryAfterMs', () => {
  it.each([
    ['2', 2000],
    [' 0 ', 0],
    ['Thu, 15 Jan 2026 12:00:05 GMT', 5000],
    ['Thu, 15 Jan 2026 11:59:00 GMT', 0],
    ['soon', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    [undefined, undefined],
    [null, undefined],
  ])('reads %p as %p ms', (header, expected) => {
    expect(parseRetryAfterMs(header as string | null | undefined, NOW)).toBe(expected);
  });
});

describe('backoffDelayMs', () => {
  it.each([
    [0, 0, 125], [0, 0.999, 250], [1, 0.5, 375], [3, 0, 1000], [10, 1, 4000], [10, 0, 2000],
  ])('attempt %p with jitter %p waits %p ms', (attempt, random, expected) => {
    expect(backoffDelayMs(attempt, random)).toBeCloseTo(expected, -1);
  });
});

describe('decideRetry', () => {
  const base = { attempt: 0, elapsedMs: 0, nowMs: NOW, random: 0.5 };
  it.each([
    ['429 with Retry-After', { status: 429, retryAfter: '1' }, { shouldRetry: true, delayMs: 1000 }],
    ['503 with Retry-After', { status: 503, retryAfter: '2' }, { shouldRetry: true, delayMs: 2000 }],
    ['504 without Retry-After backs off', { status: 504 }, { shouldRetry: true, delayMs: 188 }],
    ['200 is final', { status: 200 }, { shouldRetry: false }],
    ['400 is final', { status: 400, retryAfter: '1' }, { shouldRetry: false }],
    ['500 is not retried', { status: 500 }, { shouldRetry: false }],
    ['404 is final', { status: 404 }, { shouldRetry: false }],
    ['a wait past the budget stops', { status: 429, retryAfter: '30' }, { shouldRetry: false }],
    ['a spent budget stops', { status: 429, retryAfter: '1', elapsedMs: 9500 }, { shouldRetry: false }],
    ['a wait that just fits goes on', { status: 429, retryAfter: '1', elapsedMs: 9000 }, { shouldRetry: true, delayMs: 1000 }],
  ])('%s', (_name, question, expected) => {
    expect(decideRetry({ ...base, ...question })).toEqual(expected);
  });
});

describe('retryAfterSeconds', () => {
  it.each([['3', 3], [undefined, 1], ['0', 1], ['Thu, 15 Jan 2026 12:00:10 GMT', 10]])('tells the client %p → %p', (header, expected) => {
    expect(retryAfterSeconds(header, NOW)).toBe(expected);
  });
});
