// Exponential backoff: the delay before the next try after `failures` failures in a row, doubling up to a ceiling.
export function exponentialDelayMs(failures: number, firstDelayMs: number, longestDelayMs: number): number {
  return Math.min(firstDelayMs * 2 ** Math.max(0, failures - 1), longestDelayMs);
}
