// Read-only Graph routes: /me, calendars, calendarView (with paging, $select, $orderby) and event listings.
import { Router, type Request, type Response } from 'express';
import type { SandboxState } from '../state';
import { callerOf, hasCalendarScope } from './caller';
import { itemsInWindow, readWindow, sortItems, type ViewItem } from './calendar-view';
import { eventJson, instantOf, selectFields } from './event-json';
import { graphFailures } from './graph-errors';
import type { Mailbox, StoredCalendar } from './mailbox-store';
import { resolveEvent } from './event-lookup';
import { apiVersionOf, page, readPaging, renderContextOf } from './query-options';
import { calendarJson, odataContext, userJson } from './resource-json';
import { decodeItemId } from '../ids';


export function mailboxOf(state: SandboxState, res: Response, needsWrite = false): Mailbox {
  const caller = callerOf(res);
  if (!hasCalendarScope(caller, needsWrite)) throw graphFailures.accessDenied();
  return state.mailboxes.mailbox(caller.user.id);
}

/** The calendar named by :calendarId (or the default one); other users' calendars are simply not found. */
export function calendarOf(mailbox: Mailbox, calendarId: string | undefined): StoredCalendar {
  if (calendarId === undefined) return mailbox.defaultCalendar;
  const decoded = decodeItemId(calendarId);
  if (!decoded || decoded.kind !== 'calendar') throw graphFailures.idMalformed();
  return mailbox.calendar(calendarId) ?? (() => { throw graphFailures.itemNotFound(); })();
}

interface CollectionPage {
  value: Record<string, unknown>[];
  nextLink?: string;
  count?: number;
}

function sendCollection(state: SandboxState, req: Request, res: Response, contextFragment: string, collection: CollectionPage): void {
  res.json({
    '@odata.context': odataContext(state, apiVersionOf(req), contextFragment),
    ...(collection.count !== undefined ? { '@odata.count': collection.count } : {}),
    value: collection.value,
    ...(collection.nextLink ? { '@odata.nextLink': collection.nextLink } : {}),
  });
}

/** One page of calendarView items (occurrences included) rendered for this request. */
function sendViewItems(state: SandboxState, req: Request, res: Response, contextPath: string, items: ViewItem[]): void {
  const paging = readPaging(req);
  const render = renderContextOf(state, req, res);
  const result = page(state, req, sortItems(items, paging.orderBy), paging);
  const value = result.value.map((item) => selectFields(eventJson(item.event, render, item.occurrence), paging.select));
  const selectSuffix = paging.select ? `(${paging.select.join(',')})` : '';
  sendCollection(state, req, res, `${contextPath}${selectSuffix}`, { ...result, value });
}

export function readRoutes(state: SandboxState): Router {
  const router = Router();
  const userFragment = (res: Response) => `users('${callerOf(res).user.id}')`;

  router.get('/me', (req, res) => {
    res.json({ '@odata.context': odataContext(state, apiVersionOf(req), 'users/$entity'), ...userJson(callerOf(res).user) });
  });

  router.get('/me/calendars', (req, res) => {
    const mailbox = mailboxOf(state, res);
    sendCollection(state, req, res, `${userFragment(res)}/calendars`, { value: mailbox.calendars.map(calendarJson) });
  });

  const oneCalendar = (req: Request, res: Response) => {
    const calendar = calendarOf(mailboxOf(state, res), req.params.calendarId as string | undefined);
    res.json({ '@odata.context': odataContext(state, apiVersionOf(req), `${userFragment(res)}/calendars/$entity`), ...calendarJson(calendar) });
  };
  router.get('/me/calendar', oneCalendar);
  router.get('/me/calendars/:calendarId', oneCalendar);

  const calendarView = (req: Request, res: Response) => {
    const mailbox = mailboxOf(state, res);
    const calendar = calendarOf(mailbox, req.params.calendarId as string | undefined);
    const { startMs, endMs } = readWindow(req);
    sendViewItems(state, req, res, `${userFragment(res)}/calendarView`, itemsInWindow(mailbox, calendar.id, startMs, endMs));
  };
  router.get('/me/calendarView', calendarView);
  router.get('/me/calendar/calendarView', calendarView);
  router.get('/me/calendars/:calendarId/calendarView', calendarView);

  /** /events lists single instances and series masters, not occurrences. */
  const listEvents = (req: Request, res: Response) => {
    const mailbox = mailboxOf(state, res);
    const calendarId = req.params.calendarId ? calendarOf(mailbox, req.params.calendarId as string).id : mailbox.defaultCalendar.id;
    const paging = readPaging(req);
    const render = renderContextOf(state, req, res);
    const events = mailbox.eventsIn(calendarId).sort((a, b) => instantOf(a.start) - instantOf(b.start));
    if (paging.orderBy?.isDescending) events.reverse();
    const result = page(state, req, events, paging);
    const selectSuffix = paging.select ? `(${paging.select.join(',')})` : '';
    const value = result.value.map((event) => selectFields(eventJson(event, render), paging.select));
    sendCollection(state, req, res, `${userFragment(res)}/events${selectSuffix}`, { ...result, value });
  };
  router.get('/me/events', listEvents);
  router.get('/me/calendar/events', listEvents);
  router.get('/me/calendars/:calendarId/events', listEvents);

  /** Occurrences and exceptions of one series in a window; anything but a series master has none. https://learn.microsoft.com/graph/api/event-list-instances */
  router.get('/me/events/:eventId/instances', (req, res) => {
    const resolved = resolveEvent(mailboxOf(state, res), req.params.eventId);
    const { startMs, endMs } = readWindow(req);
    const isSeries = !resolved.occurrence && resolved.event.recurrence;
    const items = isSeries ? itemsInWindow(mailboxOf(state, res), resolved.event.calendarId, startMs, endMs).filter((item) => item.event === resolved.event) : [];
    sendViewItems(state, req, res, `${userFragment(res)}/events('${req.params.eventId}')/instances`, items);
  });

  return router;
}
