// GraphQL enums of the contract, registered with type-graphql.
import { registerEnumType } from 'type-graphql';
import { Channel } from '../config/channels';

export enum HealthStatus {
  OK = 'OK',
  DEGRADED = 'DEGRADED',
  DOWN = 'DOWN',
}

export enum BodyType {
  TEXT = 'text',
  HTML = 'html',
}

export enum AttendeeType {
  REQUIRED = 'required',
  OPTIONAL = 'optional',
  RESOURCE = 'resource',
}

registerEnumType(Channel, {
  name: 'Channel',
  description: 'Which Microsoft integration a call goes through. Each channel has its own app registration settings and its own token table.',
});
registerEnumType(HealthStatus, { name: 'HealthStatus' });
registerEnumType(BodyType, { name: 'BodyType' });
registerEnumType(AttendeeType, { name: 'AttendeeType' });

export { Channel };
