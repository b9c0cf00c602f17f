// OData query options and Prefer headers as Graph reads them: $top/$skip paging, $select, $orderby, outlook.timezone.
// https://learn.microsoft.com/graph/query-parameters, https://learn.microsoft.com/graph/paging
import type { Request, Response } from 'express';
import { localToInstant, parseLocalDateTime } from '../../common/time-zones';
import type { SandboxState } from '../state';
import { graphFailures } from './graph-errors';
import type { RenderContext } from './event-json';
import { isGraphTimeZoneName } from './time-zone-names';

/** Events and calendarView default to pages of 10 (observed; not in the reference pages). */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 1000;

export interface Paging {
  top: number;
  skip: number;
  /** $count=true: the collection carries @odata.count, the number of items over all pages. */
  withCount: boolean;
  select?: string[];
  orderBy?: { field: string; isDescending: boolean };
}

/** A query parameter by case-insensitive name (Graph accepts StartDateTime and startDateTime alike). */
export function queryParam(req: Request, name: string): string | undefined {
  const entry = Object.entries(req.query).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

function nonNegativeInteger(req: Request, name: string, fallback: number): number {
  const raw = queryParam(req, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw graphFailures.badRequest(`Invalid value '${raw}' for query option '${name}'.`);
  return Number(raw);
}

export function readPaging(req: Request): Paging {
  if (queryParam(req, '$filter') !== undefined || queryParam(req, '$search') !== undefined) {
    throw graphFailures.badRequest('The Microsoft sandbox does not support $filter or $search; use calendarView with a time window.');
  }
  const top = Math.min(nonNegativeInteger(req, '$top', DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const skip = nonNegativeInteger(req, '$skip', 0);
  const select = queryParam(req, '$select')?.split(',').map((name) => name.trim()).filter(Boolean);
  const orderByRaw = queryParam(req, '$orderby')?.trim();
  let orderBy: Paging['orderBy'];
  if (orderByRaw) {
    const [field, direction = 'asc'] = orderByRaw.split(/\s+/);
    if (!['start/dateTime', 'end/dateTime', 'subject', 'createdDateTime', 'lastModifiedDateTime'].includes(field) || !['asc', 'desc'].includes(direction.toLowerCase())) {
      throw graphFailures.badRequest(`Could not find a property named '${field}' on type 'microsoft.graph.event', or it cannot be sorted on.`);
    }
    orderBy = { field, isDescending: direction.toLowerCase() === 'desc' };
  }
  const withCount = queryParam(req, '$count')?.toLowerCase() === 'true';
  return { top, skip, select, orderBy, withCount };
}

/** One page of `items` and, when more remain, the full-URL @odata.nextLink with the next $skip. */
export function page<T>(state: SandboxState, req: Request, items: T[], paging: Paging): { value: T[]; nextLink?: string; count?: number } {
  const value = items.slice(paging.skip, paging.skip + paging.top);
  const count = paging.withCount ? items.length : undefined;
  // $top=0 asks for the count alone: a nextLink to the same empty page would send a client round in circles.
  if (paging.top === 0 || paging.skip + paging.top >= items.length) return { value, count };
  const next = new URL(req.originalUrl, state.urls.graphBaseUrl);
  for (const key of [...next.searchParams.keys()]) if (key.toLowerCase() === '$skip') next.searchParams.delete(key);
  next.searchParams.set('$top', String(paging.top));
  next.searchParams.set('$skip', String(paging.skip + paging.top));
  return { value, nextLink: next.toString(), count };
}

/**
 * The zone named in `Prefer: outlook.timezone="..."` (echoed in Preference-Applied), else UTC.
 * https://learn.microsoft.com/graph/api/user-list-calendarview#request-headers
 */
export function preferredTimeZone(req: Request, res: Response): string {
  const match = /outlook\.timezone\s*=\s*"([^"]*)"/i.exec(req.get('prefer') ?? '');
  if (!match) return 'UTC';
  if (!isGraphTimeZoneName(match[1])) throw graphFailures.timeZoneNotSupported(match[1]);
  res.append('Preference-Applied', `outlook.timezone="${match[1]}"`);
  return match[1];
}

const WINDOW_BOUND = /^(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)?)(Z|[+-]\d{2}:?\d{2})?$/;

/** A calendarView bound: ISO 8601; an offset is honoured and none means UTC (Prefer does not apply). */
export function parseWindowBound(raw: string, name: string): number {
  const match = WINDOW_BOUND.exec(raw.trim());
  const local = match ? parseLocalDateTime(match[1].length === 10 ? `${match[1]}T00:00` : match[1]) : null;
  if (!match || !local) throw graphFailures.invalidParameter(`The value '${raw}' of parameter '${name}' is not a valid date-time.`);
  const asUtc = localToInstant(local, 'UTC').getTime();
  const offset = match[2] && match[2] !== 'Z' ? match[2].replace(':', '') : '+0000';
  const offsetMinutes = (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
  return asUtc - offsetMinutes * 60_000;
}

/** 'v1.0' or 'beta', from the mount path. */
export const apiVersionOf = (req: Request): string => String(req.baseUrl.split('/')[1] ?? 'v1.0');

/**
 * `Prefer: outlook.body-content-type="text"` or `"html"` (echoed in Preference-Applied); HTML without it.
 * https://learn.microsoft.com/graph/api/event-get#request-headers
 */
function preferredBodyContentType(req: Request, res: Response): 'html' | 'text' {
  const match = /outlook\.body-content-type\s*=\s*"?(text|html)"?/i.exec(req.get('prefer') ?? '');
  if (!match) return 'html';
  const contentType = match[1].toLowerCase() as 'html' | 'text';
  res.append('Preference-Applied', `outlook.body-content-type="${contentType}"`);
  return contentType;
}

/** How events are rendered for this request: zone, body type, API version and the control surface's overrides. */
export function renderContextOf(state: SandboxState, req: Request, res: Response): RenderContext {
  return {
    timeZone: preferredTimeZone(req, res),
    bodyContentType: preferredBodyContentType(req, res),
    apiVersion: apiVersionOf(req),
    overrides: state.eventFieldOverrides,
  };
}
