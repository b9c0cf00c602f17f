// Decides every calendar operation: validates arguments, asks Graph for exactly the fields the API exposes, pages safely.
import { randomUUID } from 'node:crypto';
import type { ChannelResolver } from '../channels/channel-resolver';
import type { Channel } from '../config/channels';
import { errors, GatewayError } from '../errors/gateway-errors';
import { encodeGraphId, type GraphCall, type GraphClients } from '../microsoft/graph-client';
import type { CreateEventInput, UpdateEventInput } from './calendar.inputs';
import type { CalendarInfo, Event, EventConnection } from './calendar.types';
import { graphFieldsForEventFields } from './event-selection';
import { EventCursorCodec, positionFromNextLink, type CursorBinding, type PagePosition } from './event-cursor';
import {
  checkChangeKey, checkCreateEventInput, checkGraphId, checkPageSize, checkTimeZone, checkUpdateEventInput, checkWindow,
} from './event-input.validation';
import { requestedZone, UTC_ZONE, type RequestedZone } from './graph-time-zone';
import {
  CALENDAR_FIELDS, EVENT_FIELDS, EVENT_FIELDS_WITH_TIMESTAMPS, toCalendar, toEvent, toGraphEventChanges, toGraphNewEvent,
  type GraphCalendar, type GraphEvent,
} from './event.mapper';

/** The read-through hook of src/live: undefined means "ask Graph". */
export interface SyncedCalendar {
  eventsInWindow(userId: string, channel: Channel, start: Date, end: Date): Promise<GraphEvent[] | undefined>;
  storedEvent(userId: string, channel: Channel, eventId: string): Promise<GraphEvent | undefined>;
  afterWrite(userId: string, channel: Channel): Promise<void>;
}

export interface EventsQuery {
  channel?: Channel | null;
  start: Date;
  end: Date;
  calendarId?: string | null;
  timeZone?: string | null;
  first?: number | null;
  after?: string | null;
  /** The Event fields the query selects (see event-selection.ts); Graph is then asked for those only. All when absent. */
  eventFields?: Iterable<string>;
}

/** A mailbox with more calendars than 10 pages of 200 is shown its first 2000. */
const CALENDAR_PAGES = 10;

interface GraphCollection<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

// Graph reads and writes dateTimeTimeZone in the zone this header names (UTC without it).
// https://learn.microsoft.com/graph/api/user-list-calendarview#request-headers
const preferTimeZone = (zone: RequestedZone) => ({ Prefer: `outlook.timezone="${zone.graphName}"` });

// Graph's etag of an event is W/"<changeKey>"; with If-Match it applies the change only to that version (else 412).
// https://learn.microsoft.com/graph/api/resources/event
const ifMatch = (changeKey: string | undefined): Record<string, string> => (changeKey ? { 'If-Match': `W/"${changeKey}"` } : {});

export class CalendarService {
  private readonly cursors: EventCursorCodec;

  constructor(
    private readonly graph: GraphClients,
    private readonly channels: ChannelResolver,
    secretKey: Buffer,
    /** The synced store (live calendar): answers reads when it is current, and takes the gateway's own writes at once. */
    private readonly synced?: SyncedCalendar,
  ) {
    this.cursors = new EventCursorCodec(secretKey);
  }

  async calendar(userId: string, channelArg?: Channel | null): Promise<CalendarInfo> {
    const { channel } = this.channels.resolve(channelArg);
    const [defaultCalendar, all] = await Promise.all([
      this.graph.send<GraphCalendar>(channel, userId, { method: 'GET', path: 'me/calendar', route: 'GET /me/calendar', select: CALENDAR_FIELDS, what: 'The default calendar' }),
      this.allCalendars(channel, userId),
    ]);
    return {
      defaultCalendar: toCalendar({ ...defaultCalendar, isDefaultCalendar: true }),
      calendars: all.map((calendar) => toCalendar(calendar, defaultCalendar.id)),
    };
  }

  /** Every page of /me/calendars, following Graph's nextLink (only on Graph's own host) up to CALENDAR_PAGES pages. */
  private async allCalendars(channel: Channel, userId: string): Promise<GraphCalendar[]> {
    const calendars: GraphCalendar[] = [];
    let call: GraphCall = { method: 'GET', path: 'me/calendars', route: 'GET /me/calendars', select: CALENDAR_FIELDS, query: { $top: 200 } };
    for (let page = 1; ; page += 1) {
      const answer = await this.graph.send<GraphCollection<GraphCalendar>>(channel, userId, call);
      calendars.push(...answer.value);
      const nextLink = answer['@odata.nextLink'];
      const linkPathAndQuery = nextLink && page < CALENDAR_PAGES ? this.graph.ownLink(channel, nextLink) : undefined;
      if (!linkPathAndQuery) return calendars;
      call = { method: 'GET', linkPathAndQuery, path: 'me/calendars', route: 'GET /me/calendars' };
    }
  }

  async events(userId: string, query: EventsQuery): Promise<EventConnection> {
    checkWindow(query.start, query.end);
    const calendarId = query.calendarId ? checkGraphId('calendarId', query.calendarId) : null;
    const zone = query.timeZone ? checkTimeZone('timeZone', query.timeZone) : UTC_ZONE;
    const first = checkPageSize(query.first);
    const { channel } = this.channels.resolve(query.channel);
    const binding: CursorBinding = { userId, channel, calendarId, start: query.start, end: query.end };
    const position: PagePosition = query.after ? this.cursors.decode(binding, query.after) : { skip: 0 };
    if (!calendarId && !query.timeZone && 'skip' in position) {
      const stored = await this.synced?.eventsInWindow(userId, channel, query.start, query.end);
      if (stored) return this.storedPage(stored, binding, position.skip, first);
    }
    const page = await this.graph.send<GraphCollection<GraphEvent>>(channel, userId, {
      method: 'GET',
      path: calendarId ? `me/calendars/${encodeGraphId(calendarId)}/calendarView` : 'me/calendarView',
      route: calendarId ? 'GET /me/calendars/{id}/calendarView' : 'GET /me/calendarView',
      select: query.eventFields ? graphFieldsForEventFields(query.eventFields) : EVENT_FIELDS,
      query: {
        startDateTime: query.start.toISOString(),
        endDateTime: query.end.toISOString(),
        $orderby: 'start/dateTime',
        $top: first,
        ...('skipToken' in position ? { $skiptoken: position.skipToken } : position.skip > 0 ? { $skip: position.skip } : {}),
      },
      headers: preferTimeZone(zone),
      what: 'The calendar',
      idField: 'calendarId',
    });
    const nextLink = page['@odata.nextLink'];
    const fallbackSkip = ('skip' in position ? position.skip : 0) + page.value.length;
    return {
      nodes: page.value.map((event) => toEvent(event, zone)),
      pageInfo: {
        hasNextPage: Boolean(nextLink),
        endCursor: nextLink ? this.cursors.encode(binding, positionFromNextLink(nextLink, fallbackSkip)) : null,
      },
    };
  }

  /** A page of stored events as calendarView would answer it: no timestamps (calendarView cannot $select them), cursors by position. */
  private storedPage(stored: GraphEvent[], binding: CursorBinding, skip: number, first: number): EventConnection {
    const nodes = stored.slice(skip, skip + first).map((event) => toEvent({ ...event, createdDateTime: null, lastModifiedDateTime: null }, UTC_ZONE));
    const hasNextPage = skip + first < stored.length;
    return { nodes, pageInfo: { hasNextPage, endCursor: hasNextPage ? this.cursors.encode(binding, { skip: skip + first }) : null } };
  }

  /** null when Graph says the event does not exist. */
  async event(userId: string, channelArg: Channel | null | undefined, id: string, timeZoneArg?: string | null): Promise<Event | null> {
    checkGraphId('id', id);
    const zone = timeZoneArg ? checkTimeZone('timeZone', timeZoneArg) : UTC_ZONE;
    const { channel } = this.channels.resolve(channelArg);
    const stored = timeZoneArg ? undefined : await this.synced?.storedEvent(userId, channel, id);
    if (stored) return toEvent(stored, UTC_ZONE);
    try {
      const event = await this.graph.send<GraphEvent>(channel, userId, {
        method: 'GET', path: `me/events/${encodeGraphId(id)}`, route: 'GET /me/events/{id}',
        select: EVENT_FIELDS_WITH_TIMESTAMPS, headers: preferTimeZone(zone),
      });
      return toEvent(event, zone);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  async createEvent(userId: string, channelArg: Channel | null | undefined, input: CreateEventInput): Promise<Event> {
    checkCreateEventInput(input);
    const { channel } = this.channels.resolve(channelArg);
    const zone = requestedZone(input.start.timeZone)!;
    const event = await this.graph.send<GraphEvent>(channel, userId, {
      method: 'POST',
      path: input.calendarId ? `me/calendars/${encodeGraphId(input.calendarId)}/events` : 'me/events',
      route: input.calendarId ? 'POST /me/calendars/{id}/events' : 'POST /me/events',
      // Graph's idempotency key: a POST resent after a lost 503/504 answer returns the first event, not a duplicate.
      body: { ...toGraphNewEvent(input), transactionId: randomUUID() },
      headers: preferTimeZone(zone),
      what: 'The calendar',
      idField: 'input.calendarId',
      timeZoneField: 'input.start.timeZone',
    });
    await this.synced?.afterWrite(userId, channel);
    return toEvent(event, zone);
  }

  /** With a changeKey, the change applies only if the event still has it; else CONFLICT with the current one. */
  async updateEvent(
    userId: string, channelArg: Channel | null | undefined, id: string, input: UpdateEventInput, changeKey?: string | null,
  ): Promise<Event> {
    checkGraphId('id', id);
    checkUpdateEventInput(input);
    const expectedChangeKey = checkChangeKey(changeKey);
    const { channel } = this.channels.resolve(channelArg);
    const zone = input.start ? requestedZone(input.start.timeZone)! : UTC_ZONE;
    const event = await this.withCurrentChangeKey(channel, userId, id, () => this.graph.send<GraphEvent>(channel, userId, {
      method: 'PATCH', path: `me/events/${encodeGraphId(id)}`, route: 'PATCH /me/events/{id}',
      body: toGraphEventChanges(input),
      headers: { ...preferTimeZone(zone), ...ifMatch(expectedChangeKey) },
      what: 'The event',
      timeZoneField: 'input.start.timeZone',
    }));
    await this.synced?.afterWrite(userId, channel);
    return toEvent(event, zone);
  }

  async deleteEvent(userId: string, channelArg: Channel | null | undefined, id: string, changeKey?: string | null): Promise<boolean> {
    checkGraphId('id', id);
    const expectedChangeKey = checkChangeKey(changeKey);
    const { channel } = this.channels.resolve(channelArg);
    await this.withCurrentChangeKey(channel, userId, id, () => this.graph.send<void>(channel, userId, {
      method: 'DELETE', path: `me/events/${encodeGraphId(id)}`, route: 'DELETE /me/events/{id}', headers: ifMatch(expectedChangeKey), what: 'The event',
    }));
    await this.synced?.afterWrite(userId, channel);
    return true;
  }

  /**
   * Graph's 412 names no current version (its error carries only code and message), so after a CONFLICT the event's
   * changeKey is read once and handed to the caller; a CONFLICT without it when that read fails too.
   */
  private async withCurrentChangeKey<T>(channel: Channel, userId: string, id: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } catch (error) {
      if (!(error instanceof GatewayError) || error.code !== 'CONFLICT') throw error;
      const current = await this.graph.send<GraphEvent>(channel, userId, {
        method: 'GET', path: `me/events/${encodeGraphId(id)}`, route: 'GET /me/events/{id}', select: ['changeKey'],
      }).catch(() => undefined);
      throw errors.conflict(current?.changeKey ?? undefined);
    }
  }
}
