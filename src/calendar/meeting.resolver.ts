// GraphQL surface of the meeting actions: read the arguments, call one service method.
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { requireSession } from '../graphql/auth-checker';
import type { RequestContext } from '../graphql/context';
import { Channel } from '../graphql/enums';
import { EventResponse } from './calendar.enums';
import type { MeetingService } from './meeting.service';

@Resolver()
export class MeetingResolver {
  constructor(private readonly meetings: MeetingService) {}

  @Authorized()
  @Mutation(() => Boolean, { description: "Answers a meeting request as the caller; the organizer's own meeting is refused by Microsoft." })
  respondToEvent(
    @Ctx() context: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('response', () => EventResponse) response: EventResponse,
    @Arg('channel', () => Channel, { nullable: true }) channel?: Channel,
    @Arg('comment', () => String, { nullable: true }) comment?: string,
    @Arg('sendResponse', () => Boolean, { nullable: true, description: 'Whether the organizer is told (default true).' }) sendResponse?: boolean,
  ): Promise<boolean> {
    return this.meetings.respond(requireSession(context).userId, channel, id, { response, comment, sendResponse });
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Organizer only: cancels the meeting and notifies its attendees.' })
  cancelEvent(
    @Ctx() context: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('channel', () => Channel, { nullable: true }) channel?: Channel,
    @Arg('comment', () => String, { nullable: true }) comment?: string,
  ): Promise<boolean> {
    return this.meetings.cancel(requireSession(context).userId, channel, id, comment);
  }
}
