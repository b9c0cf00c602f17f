// GraphQL surface of live calendar changes: the calendarChanged subscription, for the caller's own connection only.
import { Arg, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { toEvent } from '../calendar/event.mapper';
import type { ChannelResolver } from '../channels/channel-resolver';
import { errors } from '../errors/gateway-errors';
import type { RequestContext } from '../graphql/context';
import { Channel } from '../graphql/enums';
import type { CalendarChangeMessage } from './change-feed';
import type { LiveCalendarService } from './live-calendar.service';
import { CalendarChange, ChangeKind } from './live-calendar.types';

/** What a socket's context adds: the services subscriptions are served by (type-graphql's subscribe has no container). */
export interface SubscriptionContext extends RequestContext {
  live?: { service: LiveCalendarService; channels: ChannelResolver };
}

async function subscribeToCalendar({ args, context }: SubscribeResolverData<unknown, { channel?: Channel | null }, SubscriptionContext>) {
  if (!context.session) throw errors.unauthenticated();
  if (!context.live) throw new Error('calendarChanged is served over WebSocket only');
  const { channel } = context.live.channels.resolve(args.channel);
  return context.live.service.listen(context.session.userId, channel);
}

@Resolver(() => CalendarChange)
export class LiveCalendarResolver {
  @Subscription(() => CalendarChange, {
    description: "Changes to the caller's calendar events, pushed as Microsoft reports them.",
    subscribe: subscribeToCalendar,
  })
  calendarChanged(
    @Root() change: CalendarChangeMessage,
    @Arg('channel', () => Channel, { nullable: true }) _channel?: Channel,
  ): CalendarChange {
    return {
      kind: change.kind as ChangeKind,
      eventId: change.eventId,
      channel: change.channel as Channel,
      event: change.event ? toEvent(change.event) : null,
    };
  }
}
