// GraphQL enums of the contract, registered with type-graphql.
import { registerEnumType } from 'type-graphql';
import { Channel } from '../config/channels';
import { ConnectionStatus } from '../lifecycle/connection-status';

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
registerEnumType(ConnectionStatus, {
  name: 'ConnectionStatus',
  valuesConfig: {
    ACTIVE: { description: 'Tokens are fresh or refreshable.' },
    REFRESH_FAILING: { description: 'Refreshes fail for a transient reason; the gateway keeps retrying.' },
    NEEDS_RECONNECT: { description: 'Microsoft refused the grant for good; the user must sign in again.' },
  },
});
registerEnumType(BodyType, { name: 'BodyType' });
registerEnumType(AttendeeType, { name: 'AttendeeType' });

export { Channel, ConnectionStatus };
