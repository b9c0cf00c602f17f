// GraphQL surface of free/busy: read the arguments, call the schedule service.
import { Args, ArgsType, Authorized, Ctx, Field, Int, Query, Resolver } from 'type-graphql';
import { requireSession } from '../graphql/auth-checker';
import type { RequestContext } from '../graphql/context';
import { Channel } from '../graphql/enums';
import type { ScheduleService } from './schedule.service';
import { Schedule } from './schedule.types';

@ArgsType()
class ScheduleArgs {
  @Field(() => Channel, { nullable: true }) channel?: Channel;
  @Field(() => [String], { description: 'Up to 20 mailboxes or rooms.' }) emails!: string[];
  @Field(() => Date) start!: Date;
  @Field(() => Date) end!: Date;
  @Field(() => Int, { nullable: true, description: 'Slot length of availabilityView in minutes, 5 to 1440 (default 30).' }) intervalMinutes?: number;
  @Field(() => String, { nullable: true }) timeZone?: string;
}

@Resolver()
export class ScheduleResolver {
  constructor(private readonly schedules: ScheduleService) {}

  @Authorized()
  @Query(() => [Schedule], { description: 'Free/busy of up to 20 mailboxes or rooms (Graph getSchedule).' })
  schedule(@Ctx() context: RequestContext, @Args() args: ScheduleArgs): Promise<Schedule[]> {
    return this.schedules.schedule(requireSession(context).userId, args);
  }
}
