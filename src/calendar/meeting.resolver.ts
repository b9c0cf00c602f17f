// GraphQL surface of the meeting actions: read the arguments, call one service method.
import { Args, Authorized, Mutation, Resolver } from 'type-graphql';
import { ChannelArg } from '../channels/channel-arg';
import type { ChannelSettings } from '../config/config.types';
import { CurrentSession, type CurrentSessionValue } from '../graphql/current-session';
import { CallsMicrosoft, PER_MINUTE, RateLimit } from '../guards/field-rules';
import { CancelEventArgs, RespondToEventArgs } from './meeting.inputs';
import type { MeetingService } from './meeting.service';

// Each action makes Exchange send mail to others, so they are limited like the other calendar writes.
@Resolver()
export class MeetingResolver {
  constructor(private readonly meetings: MeetingService) {}

  @Authorized()
  @RateLimit(50, PER_MINUTE)
  @CallsMicrosoft()
  @Mutation(() => Boolean, { description: "Answers a meeting request as the caller; the organizer's own meeting is refused by Microsoft." })
  respondToEvent(@CurrentSession() session: CurrentSessionValue, @ChannelArg() channel: ChannelSettings, @Args() args: RespondToEventArgs): Promise<boolean> {
    return this.meetings.respond(session.userId, channel, args.id, args);
  }

  @Authorized()
  @RateLimit(50, PER_MINUTE)
  @CallsMicrosoft()
  @Mutation(() => Boolean, { description: 'Organizer only: cancels the meeting and notifies its attendees.' })
  cancelEvent(@CurrentSession() session: CurrentSessionValue, @ChannelArg() channel: ChannelSettings, @Args() args: CancelEventArgs): Promise<boolean> {
    return this.meetings.cancel(session.userId, channel, args.id, args.comment);
  }
}
