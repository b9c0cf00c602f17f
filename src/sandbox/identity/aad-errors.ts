// Identity-platform error responses in Microsoft's shape (error, AADSTS description with trace lines, codes, ids).
// https://learn.microsoft.com/entra/identity-platform/reference-error-codes
import type { Response } from 'express';
import { newGuid } from '../ids';

export interface AadError {
  status: number;
  error: string;
  code: number;
  message: string;
  suberror?: string;
}

/** Microsoft's timestamp form, 'yyyy-MM-dd HH:mm:ssZ'. */
export function aadTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function aadErrorBody(failure: AadError, now: Date): Record<string, unknown> {
  const traceId = newGuid();
  const correlationId = newGuid();
  const timestamp = aadTimestamp(now);
  return {
    error: failure.error,
    error_description: `AADSTS${failure.code}: ${failure.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [failure.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${failure.code}`,
    ...(failure.suberror ? { suberror: failure.suberror } : {}),
  };
}

export function sendAadError(res: Response, failure: AadError, now: Date): void {
  res.status(failure.status).set({ 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' }).json(aadErrorBody(failure, now));
}

/** The failures the sandbox produces, with Microsoft's codes and wording. */
export const aad = {
  missingParameter: (name: string): AadError => ({ status: 400, error: 'invalid_request', code: 900144, message: `The request body must contain the following parameter: '${name}'.` }),
  unsupportedGrantType: (grantType: string): AadError => ({ status: 400, error: 'unsupported_grant_type', code: 70003, message: `The app requested an unsupported grant type '${grantType}'.` }),
  unknownClient: (clientId: string, tenant: string): AadError => ({ status: 400, error: 'unauthorized_client', code: 700016, message: `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.` }),
  missingClientSecret: (): AadError => ({ status: 400, error: 'invalid_request', code: 7000218, message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'." }),
  invalidClientSecret: (clientId: string): AadError => ({ status: 401, error: 'invalid_client', code: 7000215, message: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.` }),
  invalidCode: (): AadError => ({ status: 400, error: 'invalid_grant', code: 70000, message: "The provided value for the 'code' parameter is not valid." }),
  codeRedeemed: (): AadError => ({ status: 400, error: 'invalid_grant', code: 54005, message: 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.' }),
  expiredGrant: (): AadError => ({ status: 400, error: 'invalid_grant', code: 70008, message: 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.' }),
  // Observed wording (v1 era): "AADSTS50011: The reply address 'x' does not match the reply address 'y' provided when requesting Authorization code."
  redirectMismatch: (given: string, expected: string): AadError => ({ status: 400, error: 'invalid_grant', code: 50011, message: `The redirect URI '${given}' specified in the request does not match the redirect URI '${expected}' provided when requesting Authorization code.` }),
  pkceMismatch: (): AadError => ({ status: 400, error: 'invalid_grant', code: 501481, message: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.' }),
  invalidRefreshToken: (): AadError => ({ status: 400, error: 'invalid_grant', code: 9002313, message: 'Invalid request. Request is malformed or invalid.' }),
  refreshTokenInactive: (issuedAt: Date): AadError => ({ status: 400, error: 'invalid_grant', code: 700082, suberror: 'bad_token', message: `The refresh token has expired due to inactivity. The token was issued on ${issuedAt.toISOString()} and was inactive for 90.00:00:00.` }),
  refreshTokenRevoked: (): AadError => ({ status: 400, error: 'invalid_grant', code: 50173, message: "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password." }),
  refreshTokenOtherClient: (): AadError => ({ status: 400, error: 'invalid_grant', code: 70000, message: 'The provided grant is not valid: the refresh token was issued to a different client.' }),
  consentRequired: (clientId: string): AadError => ({ status: 400, error: 'invalid_grant', code: 65001, suberror: 'consent_required', message: `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.` }),
  // Client assertions (certificate credentials): https://learn.microsoft.com/entra/identity-platform/certificate-credentials
  malformedAssertion: (reason: string): AadError => ({ status: 401, error: 'invalid_client', code: 50027, message: `JWT token is invalid or malformed. ${reason}` }),
  unregisteredCertificate: (clientId: string, thumbprint: string): AadError => ({ status: 401, error: 'invalid_client', code: 700027, message: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]` }),
  invalidAssertionSignature: (thumbprint: string): AadError => ({ status: 401, error: 'invalid_client', code: 700027, message: `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprint}']` }),
  assertionAudience: (): AadError => ({ status: 401, error: 'invalid_client', code: 700023, message: 'Client assertion audience claim does not match Realm issuer.' }),
  assertionClient: (): AadError => ({ status: 401, error: 'invalid_client', code: 700021, message: "Client assertion application identifier doesn't match 'client_id' parameter." }),
  assertionTimeRange: (now: Date): AadError => ({ status: 401, error: 'invalid_client', code: 700024, message: `Client assertion is not within its valid time range. Current time: ${now.toISOString()}.` }),
  temporarilyUnavailable: (status: number): AadError => ({ status, error: 'temporarily_unavailable', code: 90033, message: 'A transient error has occurred. Please try again.' }),
};
