// Graph's /subscriptions routes for Outlook events: create (after the validation handshake), read, renew, delete, reauthorize.
// https://learn.microsoft.com/graph/api/resources/subscription
import { Router, type Request, type Response } from 'express';
import { newGuid } from '../ids';
import type { SandboxState } from '../state';
import { callerOf } from './caller';
import { GraphFailure } from './graph-errors';
import { mailboxOf } from './read-routes';
import { odataContext } from './resource-json';
import { readNewSubscription, readSubscriptionPatch, validateReceiver } from './subscription-input';
import type { StoredSubscription } from './subscription-store';

const versionOf = (req: Request) => String(req.baseUrl.split('/')[1] ?? 'v1.0');

export function subscriptionJson(subscription: StoredSubscription): Record<string, unknown> {
  return {
    id: subscription.id,
    resource: subscription.resource,
    applicationId: subscription.applicationId,
    changeType: subscription.changeType,
    clientState: subscription.clientState,
    notificationUrl: subscription.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: subscription.lifecycleNotificationUrl,
    expirationDateTime: subscription.expirationDateTime,
    creatorId: subscription.creatorId,
    includeResourceData: null,
    latestSupportedTlsVersion: subscription.latestSupportedTlsVersion,
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
    notificationContentType: null,
  };
}

/** Graph's own validation token reads like a sentence, so receivers that forget to URL-decode it fail here as they would there. */
const validationToken = () => `Validation: Testing client application reachability for subscription Request-Id: ${newGuid()}`;

export function subscriptionRoutes(state: SandboxState): Router {
  const router = Router();
  const notFound = () => new GraphFailure(404, 'ResourceNotFound', 'The object was not found.');
  const owned = (req: Request, res: Response) => {
    const caller = callerOf(res);
    return state.subscriptions.owned(String(req.params.subscriptionId), caller.user.id, caller.appId) ?? (() => { throw notFound(); })();
  };
  const send = (req: Request, res: Response, status: number, subscription: StoredSubscription) => {
    res.status(status).json({ '@odata.context': odataContext(state, versionOf(req), 'subscriptions/$entity'), ...subscriptionJson(subscription) });
  };

  router.post('/subscriptions', async (req, res) => {
    const caller = callerOf(res);
    const fields = readNewSubscription((req.body ?? {}) as Record<string, unknown>, caller, mailboxOf(state, res), state.now());
    // Both URLs are validated before anything is created.
    for (const url of [fields.notificationUrl, fields.lifecycleNotificationUrl]) {
      if (url) await validateReceiver(url, validationToken(), state.notifier.options.validationTimeoutMs);
    }
    const subscription: StoredSubscription = {
      ...fields, id: newGuid(), applicationId: caller.appId, creatorId: caller.user.id, userId: caller.user.id, tenantId: caller.user.tenantId,
    };
    state.notifier.changeSubscriptions(() => state.subscriptions.add(subscription));
    send(req, res, 201, subscription);
  });

  router.get('/subscriptions', (req, res) => {
    const caller = callerOf(res);
    const mine = state.subscriptions.active().filter((subscription) => subscription.userId === caller.user.id && subscription.applicationId === caller.appId);
    res.json({ '@odata.context': odataContext(state, versionOf(req), 'subscriptions'), value: mine.map(subscriptionJson) });
  });

  router.get('/subscriptions/:subscriptionId', (req, res) => send(req, res, 200, owned(req, res)));

  router.patch('/subscriptions/:subscriptionId', (req, res) => {
    const subscription = owned(req, res);
    Object.assign(subscription, readSubscriptionPatch((req.body ?? {}) as Record<string, unknown>, state.now()));
    send(req, res, 200, subscription);
  });

  router.delete('/subscriptions/:subscriptionId', (req, res) => {
    const subscription = owned(req, res);
    state.notifier.changeSubscriptions(() => state.subscriptions.remove(subscription.id));
    res.status(204).end();
  });

  // The sandbox does not revoke subscriptions on its own, so reauthorizing only confirms the subscription is still there.
  router.post('/subscriptions/:subscriptionId/reauthorize', (req, res) => {
    owned(req, res);
    res.status(204).end();
  });

  return router;
}
