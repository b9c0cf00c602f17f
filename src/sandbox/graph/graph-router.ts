// Graph's request pipeline under /v1.0 and /beta: count, authenticate, throttle, inject faults, route, render errors.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { applyFaults } from '../control/faults';
import { newGuid } from '../ids';
import type { SandboxState } from '../state';
import type { BatchItems } from './batch-dispatch';
import { batchRoute } from './batch-route';
import { requireCaller } from './caller';
import { deltaRoutes } from './delta';
import { defaultFailureFor, graphFailures, GraphFailure, sendGraphFailure } from './graph-errors';
import { meetingRoutes } from './meeting-routes';
import { readRoutes } from './read-routes';
import { scheduleRoutes } from './schedule-routes';
import { MailboxThrottle } from './throttle';
import { subscriptionRoutes } from './subscriptions';
import { writeRoutes } from './write-routes';

export const GRAPH_VERSIONS = ['v1.0', 'beta'];

/** 'GET /me/calendars/{id}/calendarView' style keys for the counters. */
export function routeKey(method: string, path: string): string {
  const normalized = path.replace(/\/(events|calendars|subscriptions)\/[^/]+/g, '/$1/{id}').replace(/\/$/, '');
  return `${method.toUpperCase()} ${normalized || '/'}`;
}

export interface GraphRouterOptions {
  /** Runs the items of POST /$batch (see batch-dispatch.ts); without it the route is not served. */
  batchItems?: BatchItems;
}

export function graphRouter(state: SandboxState, options: GraphRouterOptions = {}): Router {
  const router = Router();
  const throttle = new MailboxThrottle(state);
  const isBatchItem = (req: Request) => options.batchItems?.isItem(req) ?? false;
  router.use((req: Request, res: Response, next: NextFunction) => {
    // Every Graph response carries request-id and client-request-id headers.
    const requestId = newGuid();
    res.setHeader('request-id', requestId);
    res.setHeader('client-request-id', req.get('client-request-id') ?? requestId);
    state.counters.graphRequest(routeKey(req.method, req.path));
    // Any write may change events in a watched mailbox; the notifier compares once the request is answered.
    if (req.method !== 'GET' && req.method !== 'HEAD') res.once('finish', () => state.notifier.changesMayHaveHappened());
    next();
  });
  router.use(requireCaller(state));
  // A batch item runs inside the slot its batch holds; it still counts against the mailbox's request window.
  router.use(throttle.middleware((req) => !isBatchItem(req)));
  router.use(applyFaults(state.faults, (res, status, retryAfter) => sendGraphFailure(res.req, res, defaultFailureFor(status, retryAfter), state.now())));
  router.use(express.json({ limit: '4mb', type: ['application/json', 'application/*+json'] }));
  if (options.batchItems) router.use(batchRoute(options.batchItems, state.now));
  router.use(deltaRoutes(state));
  router.use(readRoutes(state));
  router.use(scheduleRoutes(state));
  router.use(writeRoutes(state));
  router.use(meetingRoutes(state));
  router.use(subscriptionRoutes(state));
  router.use((req: Request) => {
    throw graphFailures.resourceNotFound(req.path.split('/').filter(Boolean).pop() ?? '');
  });
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const failure = error instanceof GraphFailure ? error
      : (error as { type?: string }).type === 'entity.parse.failed' ? graphFailures.badRequest('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.')
        : new GraphFailure(500, 'InternalServerError', 'An internal server error occurred.');
    if (failure.status === 500) state.log(`Graph route failed: ${(error as Error).stack ?? String(error)}`);
    sendGraphFailure(req, res, failure, state.now());
  });
  return router;
}
