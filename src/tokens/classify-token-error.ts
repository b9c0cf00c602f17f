// Sorts a failed token acquisition into "sign in again", "try again later" or "our configuration is wrong".
// msal-node surfaces a bare invalid_grant as ServerError, not InteractionRequiredAuthError, so the
// decision reads error codes, never classes: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
export type TokenErrorKind = 'reconnect' | 'transient' | 'configuration';

export interface TokenErrorClassification {
  kind: TokenErrorKind;
  /** A short, safe code for the database and logs (never a message or body from Microsoft). */
  code: string;
}

/** The grant itself is gone: only an interactive sign-in brings the connection back. */
const RECONNECT_CODES = new Set([
  'invalid_grant',
  'interaction_required',
  'consent_required',
  'login_required',
  'bad_token',
  'no_tokens_found',
  'no_account_in_silent_request',
  'refresh_token_expired',
  'native_account_unavailable',
]);

/** The identity platform or the path to it failed for now; the next call may succeed. */
const TRANSIENT_CODES = new Set([
  'temporarily_unavailable',
  'server_error',
  'network_error',
  'endpoints_resolution_error',
  'openid_config_error',
  'request_timeout',
  'post_request_failed',
  'get_request_failed',
  // Our own code for an answer that resolved without an access token.
  'empty_token_response',
]);

/** The gateway's own registration is refused: users cannot fix this by signing in again. */
const CONFIGURATION_CODES = new Set(['invalid_client', 'unauthorized_client', 'invalid_request', 'invalid_scope', 'unsupported_grant_type']);

interface ErrorShape {
  errorCode?: unknown;
  subError?: unknown;
  status?: unknown;
  httpStatus?: unknown;
  code?: unknown;
}

function httpStatusOf(error: ErrorShape): number | undefined {
  const status = typeof error.httpStatus === 'number' ? error.httpStatus : error.status;
  return typeof status === 'number' ? status : undefined;
}

const SAFE_CODE = /^[a-z0-9_]{1,64}$/i;

function safeCode(value: unknown, fallback: string): string {
  return typeof value === 'string' && SAFE_CODE.test(value) ? value : fallback;
}

export function classifyTokenError(error: unknown): TokenErrorClassification {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  // msal-node joins several codes with spaces when it replays a throttled answer; the first decides.
  const errorCode = typeof shape.errorCode === 'string' ? shape.errorCode.split(' ')[0].toLowerCase() : '';
  const subError = typeof shape.subError === 'string' ? shape.subError.toLowerCase() : '';
  const status = httpStatusOf(shape);
  const code = safeCode(errorCode, 'unknown_error');

  if (status === 429 || (status !== undefined && status >= 500)) return { kind: 'transient', code: errorCode ? code : `http_${status}` };
  if (RECONNECT_CODES.has(errorCode) || RECONNECT_CODES.has(subError)) return { kind: 'reconnect', code };
  if (TRANSIENT_CODES.has(errorCode)) return { kind: 'transient', code };
  if (CONFIGURATION_CODES.has(errorCode)) return { kind: 'configuration', code };
  // Node's own socket errors (ECONNREFUSED, ETIMEDOUT…) and anything unknown: never punish the user's connection.
  return { kind: 'transient', code: errorCode ? code : safeCode(shape.code, 'unknown_error').toLowerCase() };
}
