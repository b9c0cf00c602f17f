// Posts one outbox message to WEBHOOK_URL, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature).
// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
import { Webhook } from 'standardwebhooks';

/** A receiver that neither answers nor fails within this long counts as a failed attempt. */
export const SEND_TIMEOUT_MS = 10_000;

export type SendOutcome = { isDelivered: true } | { isDelivered: false; error: string };

export class WebhookSender {
  private readonly signer: Webhook;

  constructor(
    private readonly url: string,
    secret: string,
  ) {
    this.signer = new Webhook(secret);
  }

  /**
   * The message id is the outbox row's, the same on every attempt, so receivers can drop repeats. The timestamp is the
   * real time of sending (receivers reject stale ones), not when the event happened (that is the body's `timestamp`).
   */
  async send(message: { id: string; payload: string }): Promise<SendOutcome> {
    const sentAt = new Date();
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': message.id,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': this.signer.sign(message.id, sentAt, message.payload),
        },
        body: message.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      // Read to the end so the connection can be reused; the body itself is never kept or logged.
      await response.arrayBuffer().catch(() => undefined);
      return response.ok ? { isDelivered: true } : { isDelivered: false, error: `HTTP ${response.status}` };
    } catch (error) {
      return { isDelivered: false, error: safeErrorName(error) };
    }
  }
}

/** A code or class name only: a message could quote the URL, and WEBHOOK_URL may carry a credential. */
function safeErrorName(error: unknown): string {
  const { name, cause } = (error ?? {}) as { name?: string; cause?: { code?: unknown } };
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return (code ?? name ?? 'Error').replace(/[^A-Za-z0-9_]/g, '').slice(0, 64) || 'Error';
}
