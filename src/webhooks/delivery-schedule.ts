// When a failed webhook is tried again: 30 s, doubling up to 6 hours, for up to about three days after the event.
import { exponentialDelayMs } from '../common/backoff';

export const DELIVERY_WINDOW_MS = 3 * 86_400_000;
const FIRST_RETRY_DELAY_MS = 30_000;
const LONGEST_RETRY_DELAY_MS = 6 * 3_600_000;

/** The next attempt after `attempts` failed ones, or undefined once it would fall past the delivery window (give up). */
export function nextDeliveryAttemptAt(attempts: number, createdAt: number, now: number): number | undefined {
  const next = now + exponentialDelayMs(attempts, FIRST_RETRY_DELAY_MS, LONGEST_RETRY_DELAY_MS);
  return next - createdAt > DELIVERY_WINDOW_MS ? undefined : next;
}
