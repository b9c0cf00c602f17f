// Reads one round of calendarView/delta for a connection's window: follows nextLinks to the deltaLink, on Graph's host only.
// https://learn.microsoft.com/graph/delta-query-events
import type { Channel } from '../config/channels';
import { GatewayError } from '../errors/gateway-errors';
import type { GraphCall, GraphClients } from '../microsoft/graph-client';
import type { DeltaItem, SyncWindow } from './delta-changes';

/** A window of 120 days in pages of 100 is a few pages; past this something loops. */
const MAX_PAGES = 500;
// UTC times in the store, whatever the mailbox's zone; pages as large as Graph allows, for fewer round trips.
const PREFER = { Prefer: 'outlook.timezone="UTC", odata.maxpagesize=100' };

export interface DeltaRound {
  items: DeltaItem[];
  deltaLink: string;
}

interface DeltaPage {
  value: DeltaItem[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** Graph forgot the round's token (410 syncStateNotFound, resyncRequired): only a round from scratch helps. */
export function isExpiredDeltaToken(error: unknown): boolean {
  if (!(error instanceof GatewayError) || error.code !== 'UPSTREAM_REJECTED') return false;
  return /^(Http410|syncStateNotFound|syncStateInvalid|resyncRequired)$/i.test(String(error.extensions.upstreamCode ?? ''));
}

export class DeltaReader {
  constructor(private readonly graph: GraphClients) {}

  /** From the stored deltaLink, or (without one) the whole window. */
  async read(channel: Channel, userId: string, window: SyncWindow, deltaLink?: string): Promise<DeltaRound> {
    const items: DeltaItem[] = [];
    let call: GraphCall = deltaLink
      ? this.linkCall(channel, deltaLink)
      : {
        method: 'GET', path: 'me/calendarView/delta', route: 'GET /me/calendarView/delta', headers: PREFER,
        query: { startDateTime: new Date(window.windowStart).toISOString(), endDateTime: new Date(window.windowEnd).toISOString() },
      };
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const answer = await this.graph.send<DeltaPage>(channel, userId, call);
      items.push(...answer.value);
      if (answer['@odata.deltaLink']) return { items, deltaLink: answer['@odata.deltaLink'] };
      if (!answer['@odata.nextLink']) break;
      call = this.linkCall(channel, answer['@odata.nextLink']);
    }
    throw new Error('calendarView/delta ended without a deltaLink');
  }

  private linkCall(channel: Channel, link: string): GraphCall {
    const linkPathAndQuery = this.graph.ownLink(channel, link);
    if (!linkPathAndQuery) throw new Error('calendarView/delta answered with a link off Graph\'s host');
    return { method: 'GET', path: 'me/calendarView/delta', linkPathAndQuery, route: 'GET /me/calendarView/delta', headers: PREFER };
  }
}
