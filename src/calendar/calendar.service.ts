// Decides every calendar operation on validated arguments: asks Graph for exactly the fields the API exposes, pages safely.
import { randomUUID } from 'node:crypto';
import type { Channel } from '../config/channels';
import type { ChannelSettings } from '../config/config.types';
import { errors, GatewayError } from '../errors/gateway-errors';
import { encodeGraphId, type GraphCall, type GraphClients } from '../microsoft/graph-client';
import type { CreateEventInput, UpdateEventInput } from './calendar.inputs';
import type { CalendarInfo, Event, EventConnection } from './calendar.types';
import { EventPages, type EventInstancesQuery, type EventsQuery, type GraphCollection } from './event-pages';
import { preferTimeZone, zoneOrUtc } from './graph-time-zone';
import {
  CALENDAR_FIELDS, EVENT_FIELDS_WITH_TIMESTAMPS, toCalendar, toEvent, toGraphEventChanges, toGraphNewEvent,
  type GraphCalendar, type GraphEvent,
} from './event.mapper';

export type { EventInstancesQuery, EventsQuery } from './event-pages';

/** The read-through hook of src/live: undefined means "ask Graph". */
export interface SyncedCalendar {
  eventsInWindow(userId: string, channel: Channel, start: Date, end: Date): Promise<GraphEvent[] | undefined>;
  storedEvent(userId: string, channel: Channel, eventId: string): Promise<GraphEvent | undefined>;
  afterWrite(userId: string, channel: Channel): Promise<void>;
}

/** A mailbox with more calendars than 10 pages of 200 is shown its first 2000. */
const CALENDAR_PAGES = 10;

// Graph's etag of an event is W/"<changeKey>"; with If-Match it applies the change only to that version (else 412).
// https://learn.microsoft.com/graph/api/resources/event
const ifMatch = (changeKey: string | null | undefined): Record<string, string> => (changeKey ? { 'If-Match': `W/"${changeKey}"` } : {});

export class CalendarService {
  private readonly pages: EventPages;

  constructor(
    private readonly graph: GraphClients,
    secretKey: Buffer,
    /** The synced store (live calendar): answers reads when it is current, and takes the gateway's own writes at once. */
    private readonly synced?: SyncedCalendar,
  ) {
    this.pages = new EventPages(secretKey);
  }

  async calendar(userId: string, { channel }: ChannelSettings): Promise<CalendarInfo> {
    const [defaultCalendar, all] = await Promise.all([
      this.graph.send<GraphCalendar>(channel, userId, { method: 'GET', path: 'me/calendar', route: 'GET /me/calendar', select: CALENDAR_FIELDS, what: 'The default calendar' }),
      this.allCalendars(channel, userId),
    ]);
    return {
      defaultCalendar: { ...toCalendar({ ...defaultCalendar, isDefaultCalendar: true }), channel },
      // Each Calendar remembers its channel: its `events` field reads that channel's calendarView.
      calendars: all.map((calendar) => ({ ...toCalendar(calendar, defaultCalendar.id), channel })),
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

  async events(userId: string, { channel }: ChannelSettings, query: EventsQuery): Promise<EventConnection> {
    const page = this.pages.plan(userId, channel, query);
    if (page.fromStored) {
      const stored = await this.synced?.eventsInWindow(userId, channel, query.start, query.end);
      if (stored) return page.fromStored(stored);
    }
    return page.toConnection(await this.graph.send<GraphCollection<GraphEvent>>(page.channel, userId, page.call));
  }

  /** Occurrences and exceptions of one series in the window, paged like `events` (Graph lists them in start order). */
  async eventInstances(userId: string, { channel }: ChannelSettings, query: EventInstancesQuery): Promise<EventConnection> {
    const page = this.pages.planInstances(userId, channel, query);
    return page.toConnection(await this.graph.send<GraphCollection<GraphEvent>>(page.channel, userId, page.call));
  }

  /** null when Graph says the event does not exist. */
  async event(userId: string, { channel }: ChannelSettings, id: string, timeZone?: string | null): Promise<Event | null> {
    const zone = zoneOrUtc(timeZone);
    const stored = timeZone ? undefined : await this.synced?.storedEvent(userId, channel, id);
    if (stored) return toEvent(stored, zone);
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

  async createEvent(userId: string, { channel }: ChannelSettings, input: CreateEventInput): Promise<Event> {
    const zone = zoneOrUtc(input.start.timeZone);
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
    userId: string, { channel }: ChannelSettings, id: string, input: UpdateEventInput, changeKey?: string | null,
  ): Promise<Event> {
    const zone = zoneOrUtc(input.start?.timeZone);
    const event = await this.withCurrentChangeKey(channel, userId, id, () => this.graph.send<GraphEvent>(channel, userId, {
      method: 'PATCH', path: `me/events/${encodeGraphId(id)}`, route: 'PATCH /me/events/{id}',
      body: toGraphEventChanges(input),
      headers: { ...preferTimeZone(zone), ...ifMatch(changeKey) },
      what: 'The event',
      timeZoneField: 'input.start.timeZone',
    }));
    await this.synced?.afterWrite(userId, channel);
    return toEvent(event, zone);
  }

  async deleteEvent(userId: string, { channel }: ChannelSettings, id: string, changeKey?: string | null): Promise<boolean> {
    await this.withCurrentChangeKey(channel, userId, id, () => this.graph.send<void>(channel, userId, {
      method: 'DELETE', path: `me/events/${encodeGraphId(id)}`, route: 'DELETE /me/events/{id}', headers: ifMatch(changeKey), what: 'The event',
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
