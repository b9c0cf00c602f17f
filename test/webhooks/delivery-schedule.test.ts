// When a failed webhook is tried again, and when it is given up.
import { DELIVERY_WINDOW_MS, nextDeliveryAttemptAt } from '../../src/webhooks/delivery-schedule';

const HOUR = 3_600_000;

describe('nextDeliveryAttemptAt', () => {
  it.each([
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [10, 15_360_000],
    [11, 6 * HOUR],
    [30, 6 * HOUR],
  ])('after %i failed attempts waits %i ms', (attempts, delay) => {
    expect(nextDeliveryAttemptAt(attempts, 0, HOUR)).toBe(HOUR + delay);
  });

  it('gives up once the next attempt would fall past three days after the event', () => {
    expect(nextDeliveryAttemptAt(20, 0, DELIVERY_WINDOW_MS - 6 * HOUR)).toBe(DELIVERY_WINDOW_MS);
    expect(nextDeliveryAttemptAt(20, 0, DELIVERY_WINDOW_MS - 6 * HOUR + 1)).toBeUndefined();
  });
});
