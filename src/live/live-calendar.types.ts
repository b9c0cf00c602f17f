// GraphQL types of live calendar changes: ChangeKind and CalendarChange.
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Event } from '../calendar/calendar.types';
import { Channel } from '../graphql/enums';

export enum ChangeKind {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  DELETED = 'DELETED',
}

registerEnumType(ChangeKind, { name: 'ChangeKind' });

@ObjectType()
export class CalendarChange {
  @Field(() => ChangeKind) kind!: ChangeKind;
  @Field(() => ID) eventId!: string;
  @Field(() => Channel) channel!: Channel;
  @Field(() => Event, { nullable: true, description: 'The event as it is now; null when deleted.' }) event!: Event | null;
}
