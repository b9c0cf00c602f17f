// One page of events in a window (a calendar's view, or a series' instances): the Graph call that reads it, and the connection built from the answer or from the synced store.
import type { Channel } from '../config/channels';
import { encodeGraphId, type GraphCall } from '../microsoft/graph-client';
import type { EventConnection } from './calendar.types';
import { EventCursorCodec, positionFromNextLink, type CursorBinding, type PagePosition } from './event-cursor';
import { LIMITS } from './event-input.rules';
import { graphFieldsForEventFields } from './event-selection';
import { EVENT_FIELDS, toEvent, type GraphEvent } from './event.mapper';
import { preferTimeZone, UTC_ZONE, zoneOrUtc, type RequestedZone } from './graph-time-zone';

/** A query validated at the edge (EventsArgs, EventInstancesArgs, EventWindowArgs in calendar.inputs.ts). */
export interface EventsQuery {
  start: Date;
  end: Date;
  calendarId?: string | null;
  timeZone?: string | null;
  first?: number | null;
  after?: string | null;
  /** The Event fields the query selects (see event-selection.ts); Graph is then asked for those only. All when absent. */
  eventFields?: Iterable<string>;
}

export interface EventInstancesQuery extends Omit<EventsQuery, 'calendarId'> {
  seriesMasterId: string;
}

export interface GraphCollection<T> {
  value: T[];
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
}

/** Where a window of events is read from: its Graph path, and what its cursor is bound to besides the window. */
interface WindowSource {
  binding: Pick<CursorBinding, 'calendarId' | 'seriesMasterId'>;
  path: string;
  route: string;
  /** $orderby where the source takes it (instances come in start order and refuse it). */
  order: Record<string, string>;
  what: string;
  idField: string;
  /** The synced store (src/live) holds this window: the default calendar's view. */
  isSynced?: boolean;
}

/** A planned page request: where it goes, and how Graph's answer becomes an EventConnection. */
export interface PlannedPage {
  channel: Channel;
  call: GraphCall;
  toConnection(page: GraphCollection<GraphEvent>): EventConnection;
  /**
   * Set when the synced store may answer instead (the default calendar in UTC from an offset position): the page
   * from the window's stored events, as calendarView would answer it.
   */
  fromStored?(stored: GraphEvent[]): EventConnection;
}

export class EventPages {
  private readonly cursors: EventCursorCodec;

  constructor(secretKey: Buffer) {
    this.cursors = new EventCursorCodec(secretKey);
  }

  /** Plans the page's calendarView call on the channel; a cursor that is not this query's is BAD_USER_INPUT on after. */
  plan(userId: string, channel: Channel, query: EventsQuery): PlannedPage {
    const calendarId = query.calendarId ?? null;
    return this.planWindow(userId, channel, query, {
      binding: { calendarId },
      path: calendarId ? `me/calendars/${encodeGraphId(calendarId)}/calendarView` : 'me/calendarView',
      route: calendarId ? 'GET /me/calendars/{id}/calendarView' : 'GET /me/calendarView',
      order: { $orderby: 'start/dateTime' },
      what: 'The calendar',
      idField: 'calendarId',
      isSynced: !calendarId,
    });
  }

  /** The same for the occurrences and exceptions of one series (GET /me/events/{id}/instances). */
  planInstances(userId: string, channel: Channel, query: EventInstancesQuery): PlannedPage {
    const { seriesMasterId } = query;
    return this.planWindow(userId, channel, query, {
      binding: { calendarId: null, seriesMasterId },
      path: `me/events/${encodeGraphId(seriesMasterId)}/instances`,
      route: 'GET /me/events/{id}/instances',
      order: {},
      what: 'The series',
      idField: 'seriesMasterId',
    });
  }

  private planWindow(userId: string, channel: Channel, query: Omit<EventsQuery, 'calendarId'>, source: WindowSource): PlannedPage {
    const zone = zoneOrUtc(query.timeZone);
    const first = query.first ?? LIMITS.defaultPageSize;
    const binding: CursorBinding = { userId, channel, ...source.binding, start: query.start, end: query.end };
    const position: PagePosition = query.after ? this.cursors.decode(binding, query.after) : { skip: 0 };
    // The store keeps UTC times and counts positions, so a time zone or Graph's skipToken leaves the page to Graph.
    const fromStored = source.isSynced && !query.timeZone && 'skip' in position
      ? (stored: GraphEvent[]) => this.storedPage(stored, binding, position.skip, first)
      : undefined;
    return {
      channel,
      call: windowCall(query, source, zone, first, position),
      toConnection: (page) => this.toConnection(page, zone, binding, position),
      ...(fromStored && { fromStored }),
    };
  }

  /** Stored events carry no timestamps (calendarView cannot $select them either); cursors count positions. */
  private storedPage(stored: GraphEvent[], binding: CursorBinding, skip: number, first: number): EventConnection {
    const nodes = stored.slice(skip, skip + first).map((event) => toEvent({ ...event, createdDateTime: null, lastModifiedDateTime: null }, UTC_ZONE));
    const hasNextPage = skip + first < stored.length;
    return {
      nodes,
      pageInfo: { hasNextPage, endCursor: hasNextPage ? this.cursors.encode(binding, { skip: skip + first }) : null },
      totalCount: stored.length,
    };
  }

  private toConnection(page: GraphCollection<GraphEvent>, zone: RequestedZone, binding: CursorBinding, position: PagePosition): EventConnection {
    const nextLink = page['@odata.nextLink'];
    const fallbackSkip = ('skip' in position ? position.skip : 0) + page.value.length;
    return {
      nodes: page.value.map((event) => toEvent(event, zone)),
      pageInfo: {
        hasNextPage: Boolean(nextLink),
        endCursor: nextLink ? this.cursors.encode(binding, positionFromNextLink(nextLink, fallbackSkip)) : null,
      },
      // Without Graph's count, the events seen up to this page are the best lower bound.
      totalCount: page['@odata.count'] ?? fallbackSkip,
    };
  }
}

function windowCall(query: Omit<EventsQuery, 'calendarId'>, source: WindowSource, zone: RequestedZone, first: number, position: PagePosition): GraphCall {
  return {
    method: 'GET',
    path: source.path,
    route: source.route,
    select: query.eventFields ? graphFieldsForEventFields(query.eventFields) : EVENT_FIELDS,
    query: {
      startDateTime: query.start.toISOString(),
      endDateTime: query.end.toISOString(),
      ...source.order,
      $top: first,
      // Graph counts the whole window on every page: https://learn.microsoft.com/graph/query-parameters#count-parameter
      $count: 'true',
      ...('skipToken' in position ? { $skiptoken: position.skipToken } : position.skip > 0 ? { $skip: position.skip } : {}),
    },
    headers: preferTimeZone(zone),
    what: source.what,
    idField: source.idField,
  };
}
