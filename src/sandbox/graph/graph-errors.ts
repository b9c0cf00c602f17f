// Graph error responses: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.
// https://learn.microsoft.com/graph/errors
import type { Request, Response } from 'express';
import { newGuid } from '../ids';

export class GraphFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

export const graphFailures = {
  invalidAuthenticationToken: (message: string) => new GraphFailure(401, 'InvalidAuthenticationToken', message),
  accessDenied: () => new GraphFailure(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.'),
  itemNotFound: () => new GraphFailure(404, 'ErrorItemNotFound', 'The specified object was not found in the store.'),
  idMalformed: () => new GraphFailure(400, 'ErrorInvalidIdMalformed', 'Id is malformed.'),
  invalidParameter: (message: string) => new GraphFailure(400, 'ErrorInvalidParameter', message),
  invalidRequest: (message: string) => new GraphFailure(400, 'ErrorInvalidRequest', message),
  propertyValidation: (message: string) => new GraphFailure(400, 'ErrorPropertyValidationFailure', message),
  badRequest: (message: string) => new GraphFailure(400, 'BadRequest', message),
  timeZoneNotSupported: (zone: string) => new GraphFailure(400, 'TimeZoneNotSupportedException',
    `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${zone}'.`),
  irresolvableConflict: () => new GraphFailure(412, 'ErrorIrresolvableConflict',
    'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.'),
  resourceNotFound: (path: string) => new GraphFailure(400, 'BadRequest', `Resource not found for the segment '${path}'.`),
};

/** Graph's innerError.date: UTC, no fraction, no 'Z'. */
const graphErrorDate = (now: number) => new Date(now).toISOString().slice(0, 19);

export function graphErrorBody(req: Request, code: string, message: string, now: number, extraInner: Record<string, string> = {}) {
  return {
    error: {
      code,
      message,
      innerError: {
        ...extraInner,
        date: graphErrorDate(now),
        'request-id': String(req.res?.getHeader('request-id') ?? newGuid()),
        'client-request-id': req.get('client-request-id') ?? String(req.res?.getHeader('request-id') ?? newGuid()),
      },
    },
  };
}

export function sendGraphFailure(req: Request, res: Response, failure: GraphFailure, now: number): void {
  if (failure.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(failure.retryAfterSeconds));
  const extra: Record<string, string> = failure.status === 429 ? { code: '429', status: '429' } : {};
  res.status(failure.status).json(graphErrorBody(req, failure.code, failure.message, now, extra));
}

/** Default code for an injected fault of a given status. */
export function defaultFailureFor(status: number, retryAfterSeconds?: number): GraphFailure {
  const known: Record<number, [string, string]> = {
    400: ['BadRequest', 'The request is malformed or incorrect.'],
    401: ['InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'],
    403: ['ErrorAccessDenied', 'Access is denied. Check credentials and try again.'],
    404: ['ErrorItemNotFound', 'The specified object was not found in the store.'],
    412: ['ErrorIrresolvableConflict', 'The change key passed in the request does not match the current change key for the item.'],
    429: ['TooManyRequests', 'Please retry again later.'],
    500: ['InternalServerError', 'An internal server error occurred.'],
    502: ['BadGateway', 'The service was unreachable.'],
    503: ['ServiceNotAvailable', 'The service is temporarily unavailable. Please retry later.'],
    504: ['GatewayTimeout', 'The service did not respond in time.'],
  };
  const [code, message] = known[status] ?? ['UnknownError', `The service answered ${status}.`];
  return new GraphFailure(status, code, message, retryAfterSeconds);
}
