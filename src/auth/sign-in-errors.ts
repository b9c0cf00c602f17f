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
  microsoftError: () => errors.signInFailed('MICROSOFT_ERROR', 'Microsoft could not complete the sign-in; try again shortly.'),
  untrustedAnswer: () => errors.signInFailed('MICROSOFT_ERROR', "Microsoft's answer did not match this sign-in (audience, tenant or expiry); start the sign-in again."),
};

const CONSENT_CODES = new Set(['access_denied', 'consent_required']);
const CODE_REJECTED_CODES = new Set(['invalid_grant', 'nonce_mismatch', 'state_mismatch', 'authorization_code_missing_from_server_response']);

/** For a failed code redemption or an error redirect: the reason plus a safe code for the log. */
export function signInFailureFor(errorCode: string): { error: GatewayError; logCode: string } {
  const code = errorCode.split(' ')[0].toLowerCase();
  const logCode = /^[a-z0-9_]{1,64}$/.test(code) ? code : 'unknown_error';
  if (CONSENT_CODES.has(code)) return { error: signInErrors.consentDeclined(), logCode };
  if (CODE_REJECTED_CODES.has(code)) return { error: signInErrors.codeRejected(), logCode };
  return { error: signInErrors.microsoftError(), logCode };
}
