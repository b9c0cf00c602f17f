// Turns Microsoft's refusals of a sign-in into the contract's SIGN_IN_FAILED reasons, never its raw message.
import { errors, type GatewayError } from '../errors/gateway-errors';

export const signInErrors = {
  unknownState: () => errors.signInFailed('INVALID_STATE', 'This sign-in is unknown or was already completed; start the sign-in again.'),
  reusedState: () => errors.signInFailed('INVALID_STATE', 'This sign-in was already used; start the sign-in again.'),
  expiredState: () => errors.signInFailed('EXPIRED_STATE', 'This sign-in expired (it is valid for 10 minutes); start the sign-in again.'),
  channelMismatch: (started: string) =>
    errors.signInFailed('INVALID_STATE', `This sign-in was started on the ${started.toUpperCase()} channel; complete it on the same channel.`),
  linkNeedsStarter: () =>
    errors.signInFailed(
      'INVALID_STATE',
      'This sign-in links a Microsoft account to a signed-in gateway user; only that user can complete it, with their session. Start the sign-in again.',
    ),
  bindingMismatch: () =>
    errors.signInFailed('BINDING_MISMATCH', 'This sign-in was started in another browser or app; start it again here.'),
  tenantNotAllowed: () =>
    errors.signInFailed('TENANT_NOT_ALLOWED', "This Microsoft account's organization is not allowed to sign in to this app; sign in with an account of an allowed organization."),
  codeRejected: () =>
    errors.signInFailed('CODE_REJECTED', 'Microsoft refused the authorization code (expired, already redeemed or issued to another sign-in); start the sign-in again.'),
  consentDeclined: () =>
    errors.signInFailed('CONSENT_DECLINED', 'The Microsoft account did not grant the permissions the gateway needs; sign in again and accept them to continue.'),
  consentRequired: (adminConsentUrl: string) =>
    errors.signInFailed(
      'CONSENT_REQUIRED',
      "This Microsoft account's organization lets only an administrator consent to this app. Ask an administrator of the organization to open adminConsentUrl and grant consent, then sign in again.",
      { adminConsentUrl },
    ),
  microsoftError: () => errors.signInFailed('MICROSOFT_ERROR', 'Microsoft could not complete the sign-in; try again shortly.'),
  untrustedAnswer: () => errors.signInFailed('MICROSOFT_ERROR', "Microsoft's answer did not match this sign-in (audience, tenant or expiry); start the sign-in again."),
};

/** What Microsoft said when it refused: the OAuth error, its AADSTS number and suberror where given. */
export interface MicrosoftRefusal {
  error: string;
  aadsts?: number;
  subError?: string;
}

/**
 * The tenant requires an administrator's consent: AADSTS65001 (not consented), 90094 (the grant requires admin
 * permission), 90095 (admin consent workflow: ask an admin), 90008 (sign-in permission never consented), 90099 (not
 * authorized in the customer's tenant). https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
const ADMIN_CONSENT_CODES = new Set([65001, 90008, 90094, 90095, 90099]);
const CODE_REJECTED_CODES = new Set(['invalid_grant', 'nonce_mismatch', 'state_mismatch', 'authorization_code_missing_from_server_response']);

/** The refusal in an error redirect to the callback: `error` and the AADSTS number leading `error_description`. */
export function refusalOfRedirect(error: string, description: string | undefined): MicrosoftRefusal {
  const aadsts = /^AADSTS(\d{1,9})\b/.exec(description ?? '')?.[1];
  return { error, ...(aadsts ? { aadsts: Number(aadsts) } : {}) };
}

/** The refusal inside an msal-node error (ServerError, InteractionRequiredAuthError: errorCode, errorNo, subError). */
export function refusalOfMsalError(thrown: unknown): MicrosoftRefusal {
  const { errorCode, errorNo, subError } = (thrown ?? {}) as { errorCode?: unknown; errorNo?: unknown; subError?: unknown };
  const aadsts = Number(errorNo);
  return {
    error: typeof errorCode === 'string' ? errorCode : 'unknown_error',
    ...(Number.isInteger(aadsts) && aadsts > 0 ? { aadsts } : {}),
    ...(typeof subError === 'string' && subError ? { subError } : {}),
  };
}

/** The contract's reason for a refused sign-in, plus safe codes for the log (never Microsoft's description). */
export function signInFailureFor(refusal: MicrosoftRefusal, adminConsentUrl: () => string): { error: GatewayError; logCode: string; aadsts?: number } {
  const code = refusal.error.split(' ')[0].toLowerCase();
  const logCode = /^[a-z0-9_]{1,64}$/.test(code) ? code : 'unknown_error';
  const logged = { logCode, ...(refusal.aadsts ? { aadsts: refusal.aadsts } : {}) };
  const needsAdmin = code === 'consent_required' || refusal.subError === 'consent_required' || ADMIN_CONSENT_CODES.has(refusal.aadsts ?? 0);
  if (needsAdmin) return { error: signInErrors.consentRequired(adminConsentUrl()), ...logged };
  // access_denied is the user declining the permissions (AADSTS65004).
  if (code === 'access_denied') return { error: signInErrors.consentDeclined(), ...logged };
  if (CODE_REJECTED_CODES.has(code)) return { error: signInErrors.codeRejected(), ...logged };
  return { error: signInErrors.microsoftError(), ...logged };
}
