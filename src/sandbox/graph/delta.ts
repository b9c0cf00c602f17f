// GET calendarView/delta: the window's events in pages, then only what changed since, with @removed for what left it.
// https://learn.microsoft.com/graph/api/event-delta, https://learn.microsoft.com/graph/delta-query-events
import { Router, type Request, type Response } from 'express';
import type { SandboxState } from '../state';
import { callerOf } from './caller';
import { itemsInWindow, readWindow, sortItems } from './calendar-view';
import { decodeSkipToken, encodeSkipToken, type DeltaRound, type DeltaWindow } from './delta-tokens';
import { eventJson } from './event-json';
import { GraphFailure, graphFailures } from './graph-errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, preferredTimeZone, queryParam } from './query-options';
import { calendarOf, mailboxOf } from './read-routes';
import { odataContext } from './resource-json';

const EVENT_TYPE = '#microsoft.graph.event';
const UNSUPPORTED_OPTIONS = ['$select', '$expand', '$filter', '$orderby', '$search'];

/** Graph names both syncStateNotFound and resyncRequired for a token it no longer knows; 410 Gone as for directory delta. */
const syncStateNotFound = () => new GraphFailure(410, 'syncStateNotFound',
  'The sync state for this delta token is not found or has expired. Start a new round of delta queries without a token.');

/** `Prefer: odata.maxpagesize=N` (echoed in Preference-Applied), else pages of 10 as for calendarView. */
function readPageSize(req: Request, res: Response): number {
  const match = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(req.get('prefer') ?? '');
  if (!match) return DEFAULT_PAGE_SIZE;
  const size = Math.min(Math.max(Number(match[1]), 1), MAX_PAGE_SIZE);
  res.append('Preference-Applied', `odata.maxpagesize=${size}`);
  return size;
}

/**
 * Starts a round: events in the window whose changeKey differs from `before` (all of them on the initial round), then
 * the ids in `before` that are no longer in the window.
 */
function startRound(state: SandboxState, req: Request, res: Response, window: DeltaWindow, before: Record<string, string>): DeltaRound {
  const mailbox = state.mailboxes.mailbox(window.userId);
  const context = { timeZone: preferredTimeZone(req, res), overrides: state.eventFieldOverrides };
  const seen: Record<string, string> = {};
  const entries: Record<string, unknown>[] = [];
  for (const item of sortItems(itemsInWindow(mailbox, window.calendarId, window.startMs, window.endMs), undefined)) {
    const json = eventJson(item.event, context, item.occurrence);
    const id = String(json.id);
    seen[id] = String(json.changeKey);
    if (before[id] !== seen[id]) entries.push({ '@odata.type': EVENT_TYPE, ...json });
  }
  for (const id of Object.keys(before)) {
    if (!(id in seen)) entries.push({ '@odata.type': EVENT_TYPE, id, '@removed': { reason: 'deleted' } });
  }
  return state.deltaTokens.startRound(window, entries, seen, readPageSize(req, res));
}

/** The round this request continues ($skiptoken), follows from ($deltatoken) or begins (a window). */
function roundFor(state: SandboxState, req: Request, res: Response): { round: DeltaRound; offset: number } {
  const { user, appId } = callerOf(res);
  const skipToken = queryParam(req, '$skiptoken');
  if (skipToken !== undefined) {
    const position = decodeSkipToken(skipToken);
    const round = position && state.deltaTokens.round(position.roundId, user.id, appId);
    if (!round) throw syncStateNotFound();
    return { round, offset: position.offset };
  }
  const deltaToken = queryParam(req, '$deltatoken');
  if (deltaToken !== undefined) {
    const record = state.deltaTokens.token(deltaToken, user.id, appId);
    if (!record) throw syncStateNotFound();
    return { round: startRound(state, req, res, record, record.seen), offset: 0 };
  }
  const calendar = calendarOf(state.mailboxes.mailbox(user.id), req.params.calendarId as string | undefined);
  return { round: startRound(state, req, res, { userId: user.id, appId, calendarId: calendar.id, ...readWindow(req) }, {}), offset: 0 };
}

export function deltaRoutes(state: SandboxState): Router {
  const router = Router();
  const delta = (req: Request, res: Response) => {
    mailboxOf(state, res);
    const unsupported = UNSUPPORTED_OPTIONS.find((option) => queryParam(req, option) !== undefined);
    if (unsupported) throw graphFailures.badRequest(`The query option '${unsupported}' is not supported with delta on calendarView.`);
    const { round, offset } = roundFor(state, req, res);
    const nextOffset = offset + round.pageSize;
    // The links keep only the token: it carries the window and every other parameter of the round.
    const link = (name: string, token: string) => `${state.urls.graphBaseUrl}${req.baseUrl}${req.path}?${name}=${encodeURIComponent(token)}`;
    res.json({
      '@odata.context': odataContext(state, String(req.baseUrl.split('/')[1] ?? 'v1.0'), 'Collection(event)'),
      value: round.entries.slice(offset, nextOffset),
      ...(nextOffset < round.entries.length
        ? { '@odata.nextLink': link('$skiptoken', encodeSkipToken(round.id, nextOffset)) }
        : { '@odata.deltaLink': link('$deltatoken', state.deltaTokens.deltaTokenFor(round)) }),
    });
  };
  router.get('/me/calendarView/delta', delta);
  router.get('/me/calendar/calendarView/delta', delta);
  router.get('/me/calendars/:calendarId/calendarView/delta', delta);
  return router;
}
