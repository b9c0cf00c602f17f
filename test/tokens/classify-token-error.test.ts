import { AuthError, ClientAuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { classifyTokenError, type TokenErrorKind } from '../../src/tokens/classify-token-error';

const cases: Array<[string, unknown, TokenErrorKind, string]> = [
  // A bare invalid_grant arrives as ServerError, not InteractionRequiredAuthError (microsoft-facts A3).
  ['revoked grant (AADSTS50173) as ServerError', new ServerError('invalid_grant', 'corr', 'AADSTS50173: ...', undefined, '50173', 400), 'reconnect', 'invalid_grant'],
  ['inactive refresh token (AADSTS700082, suberror bad_token)', new InteractionRequiredAuthError('invalid_grant', 'corr', 'AADSTS700082', 'bad_token'), 'reconnect', 'invalid_grant'],
  ['MFA needed (interaction_required)', new InteractionRequiredAuthError('interaction_required', 'corr'), 'reconnect', 'interaction_required'],
  ['consent withdrawn (consent_required)', new InteractionRequiredAuthError('consent_required', 'corr'), 'reconnect', 'consent_required'],
  ['no refresh token in the cache', new InteractionRequiredAuthError('no_tokens_found', 'corr'), 'reconnect', 'no_tokens_found'],
  ['identity platform 503', new ServerError('temporarily_unavailable', 'corr', 'AADSTS90033', undefined, '90033', 503), 'transient', 'temporarily_unavailable'],
  ['identity platform 500 even with invalid_grant', new ServerError('invalid_grant', 'corr', 'x', undefined, undefined, 500), 'transient', 'invalid_grant'],
  ['identity platform 429', new ServerError('', 'corr', 'x', undefined, undefined, 429), 'transient', 'http_429'],
  // msal-node 7.2's refresh path loses the HTTP status (ServerError.status undefined): the code alone must decide.
  ['a 503 body without error that msal reports as network_error, no status', new ClientAuthError('network_error', 'corr'), 'transient', 'network_error'],
  ['an empty token answer, no status', Object.assign(new Error('empty result'), { errorCode: 'empty_token_response' }), 'transient', 'empty_token_response'],
  ['temporarily_unavailable without a status', new ServerError('temporarily_unavailable', 'corr'), 'transient', 'temporarily_unavailable'],
  ['server_error without a status', new ServerError('server_error', 'corr'), 'transient', 'server_error'],
  ['network failure reported by msal', new ClientAuthError('network_error', 'corr'), 'transient', 'network_error'],
  ['authority metadata unreachable', new ClientAuthError('endpoints_resolution_error', 'corr'), 'transient', 'endpoints_resolution_error'],
  ['socket error from Node', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'transient', 'econnrefused'],
  ['a throttled answer msal replays with joined codes', new ServerError('invalid_grant 50173', 'corr'), 'reconnect', 'invalid_grant'],
  ['wrong client secret (AADSTS7000215)', new ServerError('invalid_client', 'corr', 'x', undefined, '7000215', 401), 'configuration', 'invalid_client'],
  ['unknown application', new ServerError('unauthorized_client', 'corr'), 'configuration', 'unauthorized_client'],
  ['something unheard of', new AuthError('brand_new_code', 'corr'), 'transient', 'brand_new_code'],
  ['not an error at all', 'boom', 'transient', 'unknown_error'],
];

describe('classifyTokenError', () => {
  it.each(cases)('%s', (_name, error, kind, code) => {
    expect(classifyTokenError(error)).toEqual({ kind, code });
  });

  it('never returns text that could carry a token or a message', () => {
    const error = new ServerError('invalid_grant refresh_token=1.AXEAsecret', 'corr');
    expect(classifyTokenError(error).code).toBe('invalid_grant');
    expect(classifyTokenError(new AuthError('"quotes"<and>markup', 'corr')).code).toBe('unknown_error');
  });
});
