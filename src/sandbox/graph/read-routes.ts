// Read-only Graph routes: /me, calendars, calendarView (with paging, $select, $orderby) and event listings.
import { Router, type Request, type Response } from 'express';
import type { SandboxState } from '../state';
import { callerOf, hasCalendarScope } from './caller';
import { itemsInWindow, readWindow, sortItems } from './calendar-view';
import { eventJson, instantOf, selectFields } from './event-json';
import { graphFailures } from './graph-errors';
import type { Mailbox, StoredCalendar } from './mailbox-store';
import { page, preferredTimeZone, readPaging } from './query-options';
import { calendarJson, odataContext, userJson } from './resource-json';
import { decodeItemId } from '../ids';

const versionOf = (req: Request) => String(req.baseUrl.split('/')[1] ?? 'v1.0');

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

function sendCollection(state: SandboxState, req: Request, res: Response, contextFragment: string, items: Record<string, unknown>[], nextLink?: string): void {
  res.json({ '@odata.context': odataContext(state, versionOf(req), contextFragment), value: items, ...(nextLink ? { '@odata.nextLink': nextLink } : {}) });
}

export function readRoutes(state: SandboxState): Router {
  const router = Router();
  const userFragment = (res: Response) => `users('${callerOf(res).user.id}')`;

  router.get('/me', (req, res) => {
    res.json({ '@odata.context': odataContext(state, versionOf(req), 'users/$entity'), ...userJson(callerOf(res).user) });
  });

  router.get('/me/calendars', (req, res) => {
    const mailbox = mailboxOf(state, res);
    sendCollection(state, req, res, `${userFragment(res)}/calendars`, mailbox.calendars.map(calendarJson));
  });

  const oneCalendar = (req: Request, res: Response) => {
    const calendar = calendarOf(mailboxOf(state, res), req.params.calendarId as string | undefined);
    res.json({ '@odata.context': odataContext(state, versionOf(req), `${userFragment(res)}/calendars/$entity`), ...calendarJson(calendar) });
  };
  router.get('/me/calendar', oneCalendar);
  router.get('/me/calendars/:calendarId', oneCalendar);

  const calendarView = (req: Request, res: Response) => {
    const mailbox = mailboxOf(state, res);
    const calendar = calendarOf(mailbox, req.params.calendarId as string | undefined);
    const { startMs, endMs } = readWindow(req);
    const paging = readPaging(req);
    const timeZone = preferredTimeZone(req, res);
    const items = sortItems(itemsInWindow(mailbox, calendar.id, startMs, endMs), paging.orderBy);
    const result = page(state, req, items, paging);
    const value = result.value.map((item) => selectFields(eventJson(item.event, { timeZone, overrides: state.eventFieldOverrides }, item.occurrence), paging.select));
    const selectSuffix = paging.select ? `(${paging.select.join(',')})` : '';
    sendCollection(state, req, res, `${userFragment(res)}/calendarView${selectSuffix}`, value, result.nextLink);
  };
  router.get('/me/calendarView', calendarView);
  router.get('/me/calendar/calendarView', calendarView);
  router.get('/me/calendars/:calendarId/calendarView', calendarView);

  /** /events lists single instances and series masters, not occurrences. */
  const listEvents = (req: Request, res: Response) => {
    const mailbox = mailboxOf(state, res);
    const calendarId = req.params.calendarId ? calendarOf(mailbox, req.params.calendarId as string).id : mailbox.defaultCalendar.id;
    const paging = readPaging(req);
    const timeZone = preferredTimeZone(req, res);
    const events = mailbox.eventsIn(calendarId).sort((a, b) => instantOf(a.start) - instantOf(b.start));
    if (paging.orderBy?.isDescending) events.reverse();
    const result = page(state, req, events, paging);
    const selectSuffix = paging.select ? `(${paging.select.join(',')})` : '';
    sendCollection(state, req, res, `${userFragment(res)}/events${selectSuffix}`, result.value.map((event) => selectFields(eventJson(event, { timeZone, overrides: state.eventFieldOverrides }), paging.select)), result.nextLink);
  };
  router.get('/me/events', listEvents);
  router.get('/me/calendar/events', listEvents);
  router.get('/me/calendars/:calendarId/events', listEvents);

  return router;
}
