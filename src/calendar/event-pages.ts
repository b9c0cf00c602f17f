// One page of a calendar's view: the checked query, the Graph call that reads it, and the connection built from the answer.
import type { ChannelResolver } from '../channels/channel-resolver';
import type { Channel } from '../config/channels';
import { encodeGraphId, type GraphCall } from '../microsoft/graph-client';
import type { EventConnection } from './calendar.types';
import { EventCursorCodec, positionFromNextLink, type CursorBinding, type PagePosition } from './event-cursor';
import { checkGraphId, checkPageSize, checkTimeZone, checkWindow } from './event-input.validation';
import { graphFieldsForEventFields } from './event-selection';
import { EVENT_FIELDS, toEvent, type GraphEvent } from './event.mapper';
import { preferTimeZone, UTC_ZONE, type RequestedZone } from './graph-time-zone';

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

export interface GraphCollection<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

/** A checked page request: where it goes, and how Graph's answer becomes an EventConnection. */
export interface PlannedPage {
  channel: Channel;
  call: GraphCall;
  toConnection(page: GraphCollection<GraphEvent>): EventConnection;
}

export class EventPages {
  private readonly cursors: EventCursorCodec;

  constructor(private readonly channels: ChannelResolver, secretKey: Buffer) {
    this.cursors = new EventCursorCodec(secretKey);
  }

  /** Checks the arguments (BAD_USER_INPUT, before any call to Microsoft) and plans the page's calendarView call. */
  plan(userId: string, query: EventsQuery): PlannedPage {
    checkWindow(query.start, query.end);
    const calendarId = query.calendarId ? checkGraphId('calendarId', query.calendarId) : null;
    const zone = query.timeZone ? checkTimeZone('timeZone', query.timeZone) : UTC_ZONE;
    const first = checkPageSize(query.first);
    const { channel } = this.channels.resolve(query.channel);
    const binding: CursorBinding = { userId, channel, calendarId, start: query.start, end: query.end };
    const position: PagePosition = query.after ? this.cursors.decode(binding, query.after) : { skip: 0 };
    return {
      channel,
      call: calendarViewCall(query, calendarId, zone, first, position),
      toConnection: (page) => this.toConnection(page, zone, binding, position),
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
    };
  }
}

function calendarViewCall(query: EventsQuery, calendarId: string | null, zone: RequestedZone, first: number, position: PagePosition): GraphCall {
  return {
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
  };
}
