// Event routes that take an id or change data: POST (201), GET, PATCH (200) and DELETE (204), occurrences included.
// https://learn.microsoft.com/graph/api/user-post-events, event-get, event-update, event-delete
import { Router, type Request, type Response } from 'express';
import type { SandboxState } from '../state';
import { callerOf } from './caller';
import { eventJson, type RenderContext } from './event-json';
import { newEventFromBody, parseEventChanges, validateEventShape } from './event-input';
import { graphFailures } from './graph-errors';
import { newChangeKey, type Mailbox } from './mailbox-store';
import { deliverInvitations } from './invitations';
import { apiVersionOf, renderContextOf } from './query-options';
import { calendarOf, mailboxOf } from './read-routes';
import { odataContext } from './resource-json';
import { resolveEvent, type ResolvedEvent } from './event-lookup';

/** The changeKey the caller sees on this event or occurrence (an exception has its own). */
const currentChangeKey = (resolved: ResolvedEvent) => resolved.occurrence?.override?.changeKey ?? resolved.event.changeKey;

/**
 * If-Match as Graph reads it: the change applies only to the version its etag (W/"<changeKey>") names, else 412
 * ErrorIrresolvableConflict. '*' matches any version. https://learn.microsoft.com/graph/api/resources/event
 */
export function requireVersion(req: Request, resolved: ResolvedEvent): void {
  const header = req.get('if-match');
  if (!header) return;
  const tags = header.split(',').map((tag) => tag.trim());
  const unquote = (tag: string) => tag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  if (!tags.includes('*') && !tags.some((tag) => unquote(tag) === currentChangeKey(resolved))) throw graphFailures.irresolvableConflict();
}

/** A PATCH body applied to an event, or to one occurrence, which then becomes an exception of its series. */
export function applyEventChanges(resolved: ResolvedEvent, patch: Record<string, unknown>, now: number): void {
  const changes = parseEventChanges(patch);
  if (resolved.occurrence) {
    // Changing one occurrence makes it an exception of the series.
    const { subject, body, start, end, location, showAs, importance, attendees, isCancelled } = changes;
    const override = { ...resolved.occurrence.override, ...Object.fromEntries(Object.entries({ subject, body, start, end, location, showAs, importance, attendees, isCancelled }).filter(([, value]) => value !== undefined)) };
    validateEventShape({ start: override.start ?? resolved.occurrence.start, end: override.end ?? resolved.occurrence.end, isAllDay: resolved.event.isAllDay });
    resolved.event.exceptions[resolved.occurrence.day] = { ...override, changeKey: newChangeKey(), lastModifiedDateTime: now };
  } else {
    validateEventShape({ ...resolved.event, ...changes });
    Object.assign(resolved.event, changes, { changeKey: newChangeKey(), lastModifiedDateTime: now });
  }
}

export function deleteResolvedEvent(mailbox: Mailbox, resolved: ResolvedEvent): void {
  if (resolved.occurrence) resolved.event.deletedOccurrenceDays.push(resolved.occurrence.day);
  else mailbox.deleteEvent(resolved.event.key);
}

export function requireEditable(mailbox: Mailbox, calendarId: string): void {
  if (!mailbox.calendar(calendarId)?.canEdit) throw graphFailures.accessDenied();
}

export function writeRoutes(state: SandboxState): Router {
  const router = Router();
  const sendEvent = (req: Request, res: Response, status: number, resolved: ResolvedEvent, render: RenderContext) => {
    const context = odataContext(state, apiVersionOf(req), `users('${callerOf(res).user.id}')/events/$entity`);
    res.status(status).json({ '@odata.context': context, ...eventJson(resolved.event, render, resolved.occurrence) });
  };

  const create = (req: Request, res: Response) => {
    const mailbox = mailboxOf(state, res, true);
    const calendar = calendarOf(mailbox, req.params.calendarId as string | undefined);
    requireEditable(mailbox, calendar.id);
    const render = renderContextOf(state, req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const transactionId = typeof body.transactionId === 'string' ? body.transactionId : undefined;
    // transactionId makes the POST idempotent: a repeat returns the event the first one created.
    const existing = transactionId ? mailbox.eventsIn().find((event) => event.transactionId === transactionId) : undefined;
    const event = existing ?? mailbox.addEvent(newEventFromBody(body, callerOf(res).user, calendar.id, state.now()));
    if (!existing) deliverInvitations(state, event);
    sendEvent(req, res, 201, { event }, render);
  };
  router.post('/me/events', create);
  router.post('/me/calendar/events', create);
  router.post('/me/calendars/:calendarId/events', create);

  router.get('/me/events/:eventId', (req, res) => {
    const resolved = resolveEvent(mailboxOf(state, res), req.params.eventId);
    sendEvent(req, res, 200, resolved, renderContextOf(state, req, res));
  });

  router.patch('/me/events/:eventId', (req, res) => {
    const mailbox = mailboxOf(state, res, true);
    const resolved = resolveEvent(mailbox, req.params.eventId);
    requireEditable(mailbox, resolved.event.calendarId);
    requireVersion(req, resolved);
    const render = renderContextOf(state, req, res);
    applyEventChanges(resolved, (req.body ?? {}) as Record<string, unknown>, state.now());
    sendEvent(req, res, 200, resolveEvent(mailbox, req.params.eventId), render);
  });

  router.delete('/me/events/:eventId', (req, res) => {
    const mailbox = mailboxOf(state, res, true);
    const resolved = resolveEvent(mailbox, req.params.eventId);
    requireEditable(mailbox, resolved.event.calendarId);
    requireVersion(req, resolved);
    deleteResolvedEvent(mailbox, resolved);
    res.status(204).end();
  });

  return router;
}
