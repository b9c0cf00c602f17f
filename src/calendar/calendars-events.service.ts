// Reads the events of many calendars at once: every Calendar.events of one request goes to Graph as JSON batches
// (20 calendars a batch), and each calendar gets its own page or its own error.
import DataLoader from 'dataloader';
import type { Channel } from '../config/channels';
import type { GraphClients } from '../microsoft/graph-client';
import type { EventConnection } from './calendar.types';
import { EventPages, type EventsQuery, type GraphCollection, type PlannedPage } from './event-pages';
import type { GraphEvent } from './event.mapper';

interface CalendarEventsKey {
  userId: string;
  channel: Channel;
  query: EventsQuery;
}

export class CalendarsEventsService {
  private readonly pages: EventPages;
  /** One loader per GraphQL request (keyed by its context object), so batching never mixes requests. */
  private readonly loaders = new WeakMap<object, DataLoader<CalendarEventsKey, EventConnection>>();

  constructor(private readonly graph: GraphClients, secretKey: Buffer) {
    this.pages = new EventPages(secretKey);
  }

  /** The first page of one calendar's view on its channel, sent with the other calendars this request reads. */
  events(request: object, userId: string, channel: Channel, query: EventsQuery): Promise<EventConnection> {
    let loader = this.loaders.get(request);
    if (!loader) {
      loader = new DataLoader((keys) => this.load(keys), { cache: false });
      this.loaders.set(request, loader);
    }
    return loader.load({ userId, channel, query });
  }

  private async load(keys: readonly CalendarEventsKey[]): Promise<Array<EventConnection | Error>> {
    const planned = keys.map((key): PlannedPage | Error => {
      try {
        return this.pages.plan(key.userId, key.channel, key.query);
      } catch (error) {
        return error as Error;
      }
    });
    const results: Array<EventConnection | Error> = planned.map((page) => (page instanceof Error ? page : new Error('not sent')));
    // One set of batches per mailbox and channel (a request could read MAIN and BETA calendars side by side).
    const groups = new Map<string, number[]>();
    planned.forEach((page, index) => {
      if (page instanceof Error) return;
      const group = `${keys[index].userId}\n${page.channel}`;
      groups.set(group, [...(groups.get(group) ?? []), index]);
    });
    await Promise.all([...groups.values()].map(async (indexes) => {
      const pages = indexes.map((index) => planned[index] as PlannedPage);
      const outcomes = await this.graph.sendBatch<GraphCollection<GraphEvent>>(pages[0].channel as Channel, keys[indexes[0]].userId, pages.map((page) => page.call));
      outcomes.forEach((outcome, position) => {
        results[indexes[position]] = outcome.ok ? pages[position].toConnection(outcome.value) : outcome.error;
      });
    }));
    return results;
  }
}
