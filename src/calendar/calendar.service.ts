// Decides every calendar operation: validates arguments, asks Graph for exactly the fields the API exposes, pages safely.
import { randomUUID } from 'node:crypto';
import type { ChannelResolver } from '../channels/channel-resolver';
import type { Channel } from '../config/channels';
import { errors, GatewayError } from '../errors/gateway-errors';
import { encodeGraphId, type GraphCall, type GraphClients } from '../microsoft/graph-client';
import type { CreateEventInput, UpdateEventInput } from './calendar.inputs';
import type { CalendarInfo, Event, EventConnection } from './calendar.types';
import { checkChangeKey, checkCreateEventInput, checkGraphId, checkTimeZone, checkUpdateEventInput } from './event-input.validation';
import { EventPages, type EventInstancesQuery, type EventsQuery, type GraphCollection } from './event-pages';
import { preferTimeZone, requestedZone, UTC_ZONE } from './graph-time-zone';
import { checkRecurrence } from './recurrence.validation';
import {
  CALENDAR_FIELDS, EVENT_FIELDS, EVENT_FIELDS_WITH_TIMESTAMPS, toCalendar, toEvent, toGraphEventChanges, toGraphNewEvent,
  type GraphCalendar, type GraphEvent,
} from './event.mapper';

export type { EventInstancesQuery, EventsQuery } from './event-pages';

/** A mailbox with more calendars than 10 pages of 200 is shown its first 2000. */
const CALENDAR_PAGES = 10;

// Graph's etag of an event is W/"<changeKey>"; with If-Match it applies the change only to that version (else 412).
// https://learn.microsoft.com/graph/api/resources/event
const ifMatch = (changeKey: string | undefined): Record<string, string> => (changeKey ? { 'If-Match': `W/"${changeKey}"` } : {});

export class CalendarService {
  private readonly pages: EventPages;

  constructor(private readonly graph: GraphClients, private readonly channels: ChannelResolver, secretKey: Buffer) {
    this.pages = new EventPages(channels, secretKey);
  }

  async calendar(userId: string, channelArg?: Channel | null): Promise<CalendarInfo> {
    const { channel } = this.channels.resolve(channelArg);
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

  async events(userId: string, query: EventsQuery): Promise<EventConnection> {
    const page = this.pages.plan(userId, query);
    return page.toConnection(await this.graph.send<GraphCollection<GraphEvent>>(page.channel, userId, page.call));
  }

  /** Occurrences and exceptions of one series in the window, paged like `events` (Graph lists them in start order). */
  async eventInstances(userId: string, query: EventInstancesQuery): Promise<EventConnection> {
    const page = this.pages.planInstances(userId, query);
    return page.toConnection(await this.graph.send<GraphCollection<GraphEvent>>(page.channel, userId, page.call));
  }

  /** null when Graph says the event does not exist. */
  async event(userId: string, channelArg: Channel | null | undefined, id: string, timeZoneArg?: string | null): Promise<Event | null> {
    checkGraphId('id', id);
    const zone = timeZoneArg ? checkTimeZone('timeZone', timeZoneArg) : UTC_ZONE;
    const { channel } = this.channels.resolve(channelArg);
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
    if (input.recurrence) checkRecurrence(input.recurrence);
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
    return toEvent(event, zone);
  }

  async deleteEvent(userId: string, channelArg: Channel | null | undefined, id: string, changeKey?: string | null): Promise<boolean> {
    checkGraphId('id', id);
    const expectedChangeKey = checkChangeKey(changeKey);
    const { channel } = this.channels.resolve(channelArg);
    await this.withCurrentChangeKey(channel, userId, id, () => this.graph.send<void>(channel, userId, {
      method: 'DELETE', path: `me/events/${encodeGraphId(id)}`, route: 'DELETE /me/events/{id}', headers: ifMatch(expectedChangeKey), what: 'The event',
    }));
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
