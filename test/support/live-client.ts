// A graphql-ws client (the `ws` WebSocket in Node) subscribed to calendarChanged, collecting what the gateway pushes.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface PushedChange {
  kind: 'CREATED' | 'UPDATED' | 'DELETED';
  eventId: string;
  channel: string;
  event: { id: string; subject: string | null; start: { dateTime: string } } | null;
}

export interface LiveClient {
  changes: PushedChange[];
  errors: unknown[];
  /** Resolves with the first pushed change (already pushed or later) that `matches`; only a hang fails. */
  next(matches: (change: PushedChange) => boolean): Promise<PushedChange>;
  /** Resolves with the close code once the socket closes. */
  closed: Promise<number>;
  close(): Promise<void>;
}

export const CALENDAR_CHANGED = 'subscription($channel: Channel) { calendarChanged(channel: $channel) { kind eventId channel event { id subject start { dateTime } } } }';

export function subscribeToCalendar(gatewayUrl: string, authorization: string | undefined, channel?: 'MAIN' | 'BETA'): LiveClient {
  const changes: PushedChange[] = [];
  const errors: unknown[] = [];
  const waiters: Array<{ matches: (change: PushedChange) => boolean; resolve: (change: PushedChange) => void }> = [];
  let resolveClosed: (code: number) => void = () => undefined;
  const closed = new Promise<number>((resolve) => (resolveClosed = resolve));
  const client: Client = createClient({
    url: `${gatewayUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: authorization === undefined ? {} : { authorization },
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => resolveClosed((event as { code: number }).code) },
    onNonLazyError: (error) => errors.push(error),
  });
  client.subscribe<{ calendarChanged: PushedChange }>({ query: CALENDAR_CHANGED, variables: channel ? { channel } : {} }, {
    next: (result) => {
      if (result.errors) errors.push(result.errors);
      const change = result.data?.calendarChanged;
      if (!change) return;
      changes.push(change);
      for (const waiter of waiters.splice(0)) {
        if (waiter.matches(change)) waiter.resolve(change);
        else waiters.push(waiter);
      }
    },
    error: (error) => errors.push(error),
    complete: () => undefined,
  });
  return {
    changes,
    errors,
    closed,
    next: (matches) => {
      const already = changes.find(matches);
      return already ? Promise.resolve(already) : new Promise((resolve) => waiters.push({ matches, resolve }));
    },
    close: () => client.dispose() as Promise<void>,
  };
}

/** Polls `condition` until true; a hang fails by the test's own timeout, never by a deadline here. */
export async function eventually(condition: () => Promise<boolean> | boolean, pollMs = 20): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, pollMs));
}
