// GraphQL argument class of free/busy (schedule); each argument's rules sit on it (event-input.rules.ts).
import { ArgsType, Field, Int } from 'type-graphql';
import type { InputFailure } from '../errors/gateway-errors';
import type { ValidatesAsWhole } from '../graphql/input-validation';
import { isEmailAddress, IsScheduleInterval, IsScheduleMailboxes, IsTimeZone, IsWindowEnd } from './event-input.rules';

@ArgsType()
export class ScheduleArgs implements ValidatesAsWhole {
  @Field(() => [String], { description: 'Up to 20 mailboxes or rooms.' })
  @IsScheduleMailboxes()
  emails!: string[];

  @Field(() => Date)
  start!: Date;

  @Field(() => Date)
  @IsWindowEnd()
  end!: Date;

  @Field(() => Int, { nullable: true, description: 'Slot length of availabilityView in minutes, 5 to 1440 (default 30).' })
  @IsScheduleInterval()
  intervalMinutes?: number | null;

  @Field(() => String, { nullable: true })
  @IsTimeZone()
  timeZone?: string | null;

  /** Each address that is not one, by its place in the list: a property rule could name only `emails` as a whole. */
  failuresWith(): InputFailure[] {
    return (this.emails ?? []).flatMap((email, index) =>
      isEmailAddress(email) ? [] : [{ field: `emails[${index}]`, message: `emails[${index}] must be a valid email address.` }]);
  }
}
