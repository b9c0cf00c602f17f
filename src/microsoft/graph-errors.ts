// Maps a failed Graph call to the gateway's error codes (docs/errors.md); never passes Graph's message on.
// Graph's error shape: https://learn.microsoft.com/graph/errors
import { errors, GatewayError } from '../errors/gateway-errors';
import { retryAfterSeconds } from './graph-retry-policy';

/** What the gateway knows about a failed Graph call: the status (-1 when no response came) and Graph's code. */
export interface GraphFailure {
  statusCode: number;
  code?: string | null;
  retryAfter?: string | null;
}

// Graph answers TimeZoneNotSupportedException (observed, microsoft-graph-docs#4758) or ErrorTimeZoneNotSupportedException.
const TIME_ZONE_REFUSED = /^(Error)?TimeZoneNotSupportedException$/;

/** The contract error for a Graph failure. 404 is NOT_FOUND here; a read that wants null checks the status first. */
export function classifyGraphFailure(
  failure: GraphFailure, what = 'The event', nowMs = Date.now(), idField = 'id', timeZoneField = 'timeZone',
): GatewayError {
  const status = failure.statusCode;
  const code = safeUpstreamCode(failure.code);
  if (status === 404) return errors.notFound(what);
  // If-Match named a version the item no longer has (ErrorIrresolvableConflict): https://learn.microsoft.com/graph/errors
  if (status === 412) return errors.conflict();
  // The gateway sends only Windows names, which Graph takes; a refusal still names the caller's zone, not Microsoft.
  if (status === 400 && code && TIME_ZONE_REFUSED.test(code)) return errors.badUserInput(timeZoneField, `${timeZoneField} is a time zone Microsoft does not accept.`);
  // Our syntax check passes any base64-looking id; Exchange decides whether it really names an item.
  if (status === 400 && code === 'ErrorInvalidIdMalformed') return errors.badUserInput(idField, `${idField} is not a valid Microsoft Graph id.`);
  if (status === 429) return errors.upstreamThrottled(retryAfterSeconds(failure.retryAfter, nowMs));
  if (status >= 500 || status <= 0) return errors.upstreamUnavailable();
  if (status === 401) return errors.upstreamRejected(code ?? 'InvalidAuthenticationToken', 'Microsoft did not accept the access token.');
  if (status === 403) return errors.upstreamRejected(code ?? 'ErrorAccessDenied', 'Microsoft denied access to this item.');
  if (status >= 400) return errors.upstreamRejected(code ?? `Http${status}`, 'Microsoft refused the request.');
  return errors.upstreamUnavailable();
}

/** Graph codes are identifiers like ErrorItemNotFound; anything else is not echoed to clients. */
function safeUpstreamCode(code: string | null | undefined): string | undefined {
  if (!code || !/^[A-Za-z][A-Za-z0-9_.]{0,79}$/.test(code)) return undefined;
  return code;
}
