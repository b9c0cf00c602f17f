// GraphQL argument classes of the meeting actions; each argument's rules sit on it (event-input.rules.ts).
import { ArgsType, Field, ID } from 'type-graphql';
import { EventResponse } from './calendar.enums';
import { IsBody, IsGraphId } from './event-input.rules';

@ArgsType()
export class CancelEventArgs {
  @Field(() => ID)
  @IsGraphId()
  id!: string;

  // The note Microsoft sends with the response or cancellation, bounded like an event body.
  @Field(() => String, { nullable: true })
  @IsBody()
  comment?: string | null;
}

@ArgsType()
export class RespondToEventArgs extends CancelEventArgs {
  @Field(() => EventResponse)
  response!: EventResponse;

  @Field(() => Boolean, { nullable: true, description: 'Whether the organizer is told (default true).' })
  sendResponse?: boolean | null;
}
