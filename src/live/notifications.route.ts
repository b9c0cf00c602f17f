// POST /microsoft/notifications: Graph's validation handshake, change and lifecycle notifications; acknowledged, then processed.
// https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
import express, { type RequestHandler, type Router } from 'express';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { exactRouter } from '../server/exact-router';
import type { LiveCalendarService, ReceivedNotification } from './live-calendar.service';

export const NOTIFICATIONS_PATH = '/microsoft/notifications';

export interface NotificationsRouteOptions {
  live: Pick<LiveCalendarService, 'authenticNotifications' | 'process'>;
  rateLimit: RequestHandler;
  logger: Logger;
}

interface GraphNotification extends ReceivedNotification {
  id?: unknown;
  changeType?: unknown;
  subscriptionExpirationDateTime?: unknown;
  resourceData?: { id?: unknown; '@odata.etag'?: unknown };
}

/** Graph's tokens are short; anything longer is not Graph's and is not echoed. */
const MAX_VALIDATION_TOKEN_LENGTH = 1024;

/**
 * Graph wants 2xx within 3 s, so the answer goes out first and the work (a delta round, a reauthorization) follows.
 * Every well-formed body is answered 202, the forged ones too: a forger learns nothing about which subscriptions and
 * clientStates exist, and Graph never retries for hours a notification of a subscription this gateway already deleted.
 */
export function notificationsRouter(options: NotificationsRouteOptions): Router {
  const router = exactRouter();
  // Graph retries and may deliver twice: what was processed in the last 10 minutes is not processed again.
  const seen = new LRUCache<string, true>({ max: 10_000, ttl: 600_000 });
  router.post(NOTIFICATIONS_PATH, options.rateLimit, (request, response, next) => {
    const token = request.query.validationToken;
    if (token === undefined) return next();
    if (typeof token !== 'string' || token.length > MAX_VALIDATION_TOKEN_LENGTH) return void response.status(400).end();
    // The query parser already URL-decoded it, as the handshake requires.
    response.status(200).set({ 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' }).send(token);
  }, express.json({ limit: '1mb', type: () => true }), async (request, response) => {
    const items = (request.body as { value?: unknown })?.value;
    if (!Array.isArray(items)) return void response.status(400).end();
    let accepted;
    try {
      accepted = await options.live.authenticNotifications(items as GraphNotification[]);
    } catch (error) {
      options.logger.warn({ err: { type: (error as Error)?.name } }, 'could not check change notifications; Graph will deliver them again');
      return void response.status(503).end();
    }
    response.status(202).end();
    const refused = items.length - accepted.length;
    if (refused > 0) options.logger.warn({ refused }, 'ignored change notifications with an unknown subscription or a wrong clientState');
    // One piece of work per subscription and kind in a batch: ten changes to one calendar are one delta round.
    const work = new Map<string, () => Promise<void>>();
    for (const { item, sync } of accepted) {
      const key = deliveryKey(item);
      if (seen.has(key)) continue;
      seen.set(key, true);
      work.set(`${sync.subscriptionId}:${String(item.lifecycleEvent ?? 'change')}`, () => options.live.process(item, sync));
    }
    for (const task of work.values()) {
      task().catch((error: unknown) => options.logger.warn({ err: { type: (error as Error)?.name, code: (error as { code?: string }).code } }, 'processing a change notification failed; the next one or the maintenance run catches up'));
    }
  });
  return router;
}

/** What makes a delivery the same one again: Graph's notification id, else the subscription, item and version. */
function deliveryKey(item: GraphNotification): string {
  if (typeof item.id === 'string') return `id:${item.id}`;
  if (item.lifecycleEvent !== undefined) return `lifecycle:${String(item.subscriptionId)}:${String(item.lifecycleEvent)}:${String(item.subscriptionExpirationDateTime)}`;
  return `change:${String(item.subscriptionId)}:${String(item.changeType)}:${String(item.resourceData?.id)}:${String(item.resourceData?.['@odata.etag'])}`;
}
