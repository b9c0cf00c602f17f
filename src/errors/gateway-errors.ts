// The gateway's error family (docs/errors.md): each carries its public code and safe extensions.
import { GraphQLError } from 'graphql';
import type { Channel } from '../config/channels';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'CHANNEL_DISABLED'
  | 'SIGN_IN_FAILED'
  | 'MICROSOFT_NOT_CONNECTED'
  | 'RECONNECT_REQUIRED'
  | 'CONFLICT'
  | 'NOT_FOUND'
  | 'UPSTREAM_THROTTLED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_REJECTED'
  | 'INTERNAL_SERVER_ERROR';

export type SignInFailureReason =
  | 'INVALID_STATE'
  | 'EXPIRED_STATE'
  | 'BINDING_MISMATCH'
  | 'CODE_REJECTED'
  | 'CONSENT_DECLINED'
  | 'CONSENT_REQUIRED'
  | 'TENANT_NOT_ALLOWED'
  | 'MICROSOFT_ERROR';

/** One failing input of a request: its path (e.g. `input.start.dateTime`) and what is wrong with it. */
export interface InputFailure {
  field: string;
  message: string;
}

/** A failure the client can act on. Its message is written for people and never holds a secret. */
export class GatewayError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extensions } });
    this.name = 'GatewayError';
  }
}

function invalidInputs(failures: readonly [InputFailure, ...InputFailure[]]): GatewayError {
  const message = failures.map((failure) => failure.message).join(' ');
  return new GatewayError('BAD_USER_INPUT', message, { field: failures[0].field, fields: failures.map(({ field, message: text }) => ({ field, message: text })) });
}

const channelName = (channel: Channel) => channel.toUpperCase();

export const errors = {
  unauthenticated: (message = 'Sign in first: send Authorization: Bearer <sessionToken> from completeMicrosoftSignIn.') =>
    new GatewayError('UNAUTHENTICATED', message),
  forbidden: (message: string) => new GatewayError('FORBIDDEN', message),
  badUserInput: (field: string, message: string) => invalidInputs([{ field, message }]),
  /** Every failing input of the request at once; `field` names the first (errors.md). */
  invalidInputs: (failures: readonly [InputFailure, ...InputFailure[]]) => invalidInputs(failures),
  rateLimited: (retryAfterSeconds: number) =>
    new GatewayError('RATE_LIMITED', `Too many requests for this field; retry in ${retryAfterSeconds} seconds.`, {
      retryAfterSeconds,
    }),
  queryTooComplex: (what: string, limit: number, actual: number) =>
    new GatewayError('QUERY_TOO_COMPLEX', `The query's ${what} is ${actual}, over the limit of ${limit}. Split it into smaller queries.`, {
      limit,
      actual,
    }),
  channelDisabled: (channel: Channel) =>
    new GatewayError('CHANNEL_DISABLED', `The ${channelName(channel)} channel is not enabled or has no app registration settings.`, {
      channel: channelName(channel),
    }),
  /** `details`: the reason's own extensions, e.g. adminConsentUrl with CONSENT_REQUIRED. */
  signInFailed: (reason: SignInFailureReason, message: string, details: Record<string, string> = {}) =>
    new GatewayError('SIGN_IN_FAILED', message, { reason, ...details }),
  microsoftNotConnected: (channel: Channel) =>
    new GatewayError('MICROSOFT_NOT_CONNECTED', `No Microsoft account is connected on the ${channelName(channel)} channel; sign in with Microsoft first.`, {
      channel: channelName(channel),
    }),
  reconnectRequired: (channel: Channel) =>
    new GatewayError(
      'RECONNECT_REQUIRED',
      `Microsoft no longer accepts this connection on the ${channelName(channel)} channel; sign in with Microsoft again.`,
      { channel: channelName(channel) },
    ),
  conflict: (currentChangeKey?: string) =>
    new GatewayError(
      'CONFLICT',
      'The event changed since the changeKey you sent, so your change was not applied. Read the event again and retry on top of its current version.',
      currentChangeKey ? { currentChangeKey } : {},
    ),
  notFound: (what: string) => new GatewayError('NOT_FOUND', `${what} does not exist in your mailbox.`),
  upstreamThrottled: (retryAfterSeconds: number) =>
    new GatewayError('UPSTREAM_THROTTLED', `Microsoft is throttling requests; retry in ${retryAfterSeconds} seconds.`, {
      retryAfterSeconds,
    }),
  upstreamUnavailable: (message = 'Microsoft could not be reached or answered with an error; try again shortly.') =>
    new GatewayError('UPSTREAM_UNAVAILABLE', message),
  upstreamRejected: (upstreamCode: string, message = 'Microsoft refused the request.') =>
    new GatewayError('UPSTREAM_REJECTED', `${message} (${upstreamCode})`, { upstreamCode }),
};
