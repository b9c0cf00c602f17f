// Microsoft's refusals of a sign-in, as redirects and as msal-node errors, map to the contract's SIGN_IN_FAILED reasons.
import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { adminConsentUrl } from '../../src/auth/admin-consent';
import { refusalOfMsalError, refusalOfRedirect, signInFailureFor } from '../../src/auth/sign-in-errors';
import { Channel } from '../../src/config/channels';
import type { ChannelSettings } from '../../src/config/config.types';

const CONSENT_URL = 'https://login.example/organizations/v2.0/adminconsent?client_id=app';
const reasonOf = (refusal: Parameters<typeof signInFailureFor>[0]) => signInFailureFor(refusal, () => CONSENT_URL).error.extensions;

describe('signInFailureFor', () => {
  it.each([
    ['consent_required', 'AADSTS90094: The grant requires admin permission.\r\nTrace ID: x', 'CONSENT_REQUIRED'],
    ['consent_required', 'AADSTS65001: The user or administrator has not consented to use the application.', 'CONSENT_REQUIRED'],
    ['access_denied', 'AADSTS90095: Admin consent is required for the permissions requested by this application.', 'CONSENT_REQUIRED'],
    ['invalid_request', 'AADSTS90008: The user or administrator has not consented to use the application.', 'CONSENT_REQUIRED'],
    ['access_denied', 'AADSTS65004: User declined to consent to access the app.', 'CONSENT_DECLINED'],
    ['access_denied', undefined, 'CONSENT_DECLINED'],
    ['server_error', 'AADSTS90033: A transient error has occurred.', 'MICROSOFT_ERROR'],
  ])('reads the redirect error=%s (%s) as %s', (error, description, reason) => {
    expect(reasonOf(refusalOfRedirect(error, description))).toMatchObject({ code: 'SIGN_IN_FAILED', reason });
  });

  it('gives the admin consent link with CONSENT_REQUIRED only', () => {
    expect(reasonOf({ error: 'consent_required', aadsts: 90094 })).toEqual({ code: 'SIGN_IN_FAILED', reason: 'CONSENT_REQUIRED', adminConsentUrl: CONSENT_URL });
    expect(reasonOf({ error: 'access_denied', aadsts: 65004 })).not.toHaveProperty('adminConsentUrl');
  });

  it.each([
    [new InteractionRequiredAuthError('invalid_grant', '', 'AADSTS65001: not consented', 'consent_required', '', '', '', '65001'), 'CONSENT_REQUIRED', 65001],
    [new ServerError('invalid_grant', '', 'AADSTS70000: The provided value for the code is not valid.', undefined, '70000'), 'CODE_REJECTED', 70000],
    [new ServerError('invalid_client', '', 'AADSTS700027: Client assertion contains an invalid signature.', undefined, '700027'), 'MICROSOFT_ERROR', 700027],
    [new Error('socket hang up'), 'MICROSOFT_ERROR', undefined],
  ])('reads msal-node error %# as %s and logs AADSTS%s', (thrown, reason, aadsts) => {
    const failure = signInFailureFor(refusalOfMsalError(thrown), () => CONSENT_URL);
    expect(failure.error.extensions.reason).toBe(reason);
    expect(failure.aadsts).toBe(aadsts);
  });
});

describe('adminConsentUrl', () => {
  const settings = (tenantId: string): ChannelSettings => ({
    channel: Channel.MAIN, isEnabled: true, isConfigured: true, clientId: 'app-id', tenantId, graphVersion: 'v1.0', allowedTenants: [],
    redirectUri: 'https://gw.example/auth/microsoft/callback', scopes: ['openid', 'profile', 'offline_access', 'User.Read', 'Calendars.ReadWrite'],
  });

  it.each([
    ['common', 'organizations'],
    ['consumers', 'organizations'],
    ['organizations', 'organizations'],
    ['6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b', '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b'],
  ])('sends the administrator of a %s app to /%s/v2.0/adminconsent', (tenant, segment) => {
    const url = new URL(adminConsentUrl('https://login.microsoftonline.com', settings(tenant)));
    expect(`${url.origin}${url.pathname}`).toBe(`https://login.microsoftonline.com/${segment}/v2.0/adminconsent`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'app-id',
      scope: 'openid profile offline_access https://graph.microsoft.com/User.Read https://graph.microsoft.com/Calendars.ReadWrite',
      redirect_uri: 'https://gw.example/auth/microsoft/callback',
    });
  });
});
