// GraphQL surface of free/busy: read the arguments, call the schedule service.
import { Args, Authorized, Query, Resolver } from 'type-graphql';
import { ChannelArg } from '../channels/channel-arg';
import type { ChannelSettings } from '../config/config.types';
import { CurrentSession, type CurrentSessionValue } from '../graphql/current-session';
import { CallsMicrosoft, PER_MINUTE, RateLimit } from '../guards/field-rules';
import { ScheduleArgs } from './schedule.inputs';
import type { ScheduleService } from './schedule.service';
import { Schedule } from './schedule.types';

// One call reads the free/busy of up to 20 mailboxes at Graph.
@Resolver()
export class ScheduleResolver {
  constructor(private readonly schedules: ScheduleService) {}

  @Authorized()
  @RateLimit(100, PER_MINUTE)
  @CallsMicrosoft()
  @Query(() => [Schedule], { description: 'Free/busy of up to 20 mailboxes or rooms (Graph getSchedule).' })
  schedule(@CurrentSession() session: CurrentSessionValue, @ChannelArg() channel: ChannelSettings, @Args() args: ScheduleArgs): Promise<Schedule[]> {
    return this.schedules.schedule(session.userId, channel, args);
  }
}
