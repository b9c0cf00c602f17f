// GraphQL surface of live calendar changes: the calendarChanged subscription, for the caller's own connection only.
import { Authorized, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { toEvent } from '../calendar/event.mapper';
import { ChannelArg, requestedChannel } from '../channels/channel-arg';
import type { ChannelSettings } from '../config/config.types';
import type { RequestContext } from '../graphql/context';
import { currentSession } from '../graphql/current-session';
import type { Channel } from '../graphql/enums';
import type { CalendarChangeMessage } from './change-feed';
import type { LiveCalendarService } from './live-calendar.service';
import { CalendarChange, ChangeKind } from './live-calendar.types';

/** What a socket's context adds: the service subscriptions are served by (type-graphql's subscribe has no container). */
export interface SubscriptionContext extends RequestContext {
  live?: LiveCalendarService;
}

/** Runs once per subscription: the session and channel are checked here, where listening (and Graph) starts. */
async function subscribeToCalendar({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, SubscriptionContext>) {
  const session = currentSession(context);
  if (!context.live) throw new Error('calendarChanged is served over WebSocket only');
  return context.live.listen(session.userId, requestedChannel(context, args).channel);
}

@Resolver(() => CalendarChange)
export class LiveCalendarResolver {
  // No @RateLimit: it would count pushes, not subscriptions; each push answers from the change feed (cost 1).
  @Authorized()
  @Subscription(() => CalendarChange, {
    description: "Changes to the caller's calendar events, pushed as Microsoft reports them.",
    subscribe: subscribeToCalendar,
  })
  calendarChanged(@Root() change: CalendarChangeMessage, @ChannelArg() _channel: ChannelSettings): CalendarChange {
    return {
      kind: change.kind as ChangeKind,
      eventId: change.eventId,
      channel: change.channel as Channel,
      event: change.event ? toEvent(change.event) : null,
    };
  }
}
