// HTTP twin of SandboxControl under /_sandbox/ (a prefix Microsoft never serves), for curl, browsers and other processes.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { SandboxControl } from '../types';

export function controlRouter(control: SandboxControl): Router {
  const router = Router();
  router.use(express.json());
  const email = (req: Request) => decodeURIComponent(String(req.params.email));
  const noContent = (res: Response) => res.status(204).end();

  router.get('/counters', (_req, res) => { res.json(control.counters()); });
  router.post('/faults', (req, res) => { control.injectFault(req.body); noContent(res); });
  router.post('/latency', (req, res) => { control.setLatency(Number(req.body?.ms ?? 0), req.body?.path); noContent(res); });
  router.post('/event-fields', (req, res) => { control.overrideEventFields(req.body); noContent(res); });
  router.post('/token-lifetime', (req, res) => { control.setAccessTokenLifetime(Number(req.body?.seconds)); noContent(res); });
  router.post('/users/:email/expire-access-tokens', (req, res) => { control.expireAccessTokens(email(req)); noContent(res); });
  router.post('/users/:email/revoke-refresh-tokens', (req, res) => { control.revokeRefreshTokens(email(req)); noContent(res); });
  router.post('/external-changes', (req, res) => {
    const { email: who, ...change } = req.body ?? {};
    const event = control.simulateExternalChange(String(who), change);
    if (event) res.json(event);
    else noContent(res);
  });
  router.post('/notifications/deliver', async (_req, res) => { await control.deliverNotifications(); noContent(res); });
  router.post('/notifications/redeliver-last', async (_req, res) => { await control.redeliverLastNotification(); noContent(res); });
  router.get('/subscriptions', (req, res) => { res.json(control.subscriptions(typeof req.query.email === 'string' ? req.query.email : undefined)); });
  router.post('/subscriptions/:id/lifecycle', async (req, res) => {
    await control.sendLifecycleNotification(String(req.params.id), req.body?.lifecycleEvent);
    noContent(res);
  });
  router.post('/users/:email/expire-delta-tokens', (req, res) => { control.expireDeltaTokens(email(req)); noContent(res); });
  router.post('/counters/reset', (_req, res) => { control.resetCounters(); noContent(res); });
  router.post('/reset', (_req, res) => { control.reset(); noContent(res); });
  router.use((_req: Request, res: Response) => { res.status(404).json({ error: 'not_found', message: 'Unknown /_sandbox route.' }); });
  router.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    // Graph's own refusals (an unknown event id: 404) keep their status; everything else is a bad request.
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 400;
    res.status(status).json({ error: 'bad_request', message: error.message });
  });
  return router;
}
