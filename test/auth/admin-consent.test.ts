// A tenant that lets only administrators consent: its users get CONSENT_REQUIRED with the admin consent link until an administrator follows it.
import { httpsRequest, createTrustedAgent } from '../../src/microsoft/trusted-https';
import { ADMIN_CONSENT_TENANT_ID, type Sandbox } from '../../src/sandbox';
import { describeEachDatabase } from '../support/databases';
import { errorCodes } from '../support/http';
import { authorize, completeSignIn, openCallback, signInAs, startSignIn } from '../support/microsoft-sign-in';
import { startSandboxedGateway, stopSandboxedGateway, type StartedGateway } from '../support/start-gateway';

const USER = 'diego.siciliani@fabrikam.example';
const ADMIN = 'patti.fernandez@fabrikam.example';
let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;

/** The sign-in of USER up to Microsoft's redirect back to the callback, with the browser's binding cookie. */
async function authorizeUser(email = USER) {
  const started = await startSignIn(gateway!.url, { loginHint: email });
  return { started, ...(await authorize(started.authorizationUrl)) };
}

/** USER's sign-in as far as the callback page, which shows the reason and, with CONSENT_REQUIRED, the admin consent link. */
async function callbackPageOfRefusedSignIn(): Promise<{ status: number; html: string; adminConsentUrl: string }> {
  const { callback, cookie } = await authorizeUser();
  expect(callback.searchParams.get('error')).toBe('consent_required');
  expect(callback.searchParams.get('error_description')).toMatch(/^AADSTS90094: /);
  const page = await openCallback(gateway!.url, callback, cookie);
  const html = await page.text();
  const link = /id="admin-consent-url" href="([^"]+)"/.exec(html)?.[1] ?? '';
  return { status: page.status, html, adminConsentUrl: link.replace(/&amp;/g, '&') };
}

/** Opens the admin consent link as the administrator's browser would (login_hint picks the account on the sandbox). */
async function followAdminConsent(adminConsentUrl: string, email: string): Promise<URL> {
  const agent = createTrustedAgent({ caPem: [sandbox!.caCertificatePem] });
  try {
    const url = new URL(adminConsentUrl);
    url.searchParams.set('login_hint', email);
    const response = await httpsRequest(agent, url.toString());
    expect(response.status).toBe(302);
    return new URL(response.headers.location);
  } finally {
    agent.destroy();
  }
}

describeEachDatabase('admin consent', (target) => {
  beforeAll(async () => {
    ({ sandbox, gateway } = await startSandboxedGateway(target.freshUrl()));
  });

  afterAll(() => stopSandboxedGateway({ sandbox, gateway }, target));

  it('shows CONSENT_REQUIRED and the admin consent link when Microsoft redirects back with consent_required (AADSTS90094)', async () => {
    const { status, html, adminConsentUrl } = await callbackPageOfRefusedSignIn();
    expect(status).toBe(400);
    expect(html).toContain('<p id="reason">CONSENT_REQUIRED</p>');
    const link = new URL(adminConsentUrl);
    const main = gateway!.config.channels.main;
    expect(`${link.origin}${link.pathname}`).toBe(`${sandbox!.authorityHost}/organizations/v2.0/adminconsent`);
    expect(link.searchParams.get('client_id')).toBe(main.clientId);
    expect(link.searchParams.get('redirect_uri')).toBe(main.redirectUri);
    expect(gateway!.logLines.join('')).toMatch(/"errorCode":"consent_required","aadsts":90094,"reason":"CONSENT_REQUIRED"/);
  });

  it('returns CONSENT_REQUIRED with adminConsentUrl in the extensions when Microsoft refuses the code with AADSTS65001', async () => {
    const { started, callback } = await authorizeUser(sandbox!.users[0].email);
    sandbox!.control.injectFault({
      status: 400,
      path: '/oauth2/v2.0/token',
      body: {
        error: 'invalid_grant',
        error_description: "AADSTS65001: The user or administrator has not consented to use the application with ID 'x'.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2026-01-01 00:00:00Z",
        error_codes: [65001],
        suberror: 'consent_required',
      },
    });
    const response = await completeSignIn(gateway!.url, { code: callback.searchParams.get('code')!, state: started.state, completionSecret: started.completionSecret });
    expect(errorCodes(response)).toEqual(['SIGN_IN_FAILED']);
    const extensions = response.errors![0].extensions!;
    expect(extensions).toMatchObject({ reason: 'CONSENT_REQUIRED' });
    expect(String(extensions.adminConsentUrl)).toMatch(new RegExp(`^${sandbox!.authorityHost}/organizations/v2\\.0/adminconsent\\?client_id=`));
    expect(response.errors![0].message).not.toContain('AADSTS');
  });

  it('refuses consent from a user who is not an administrator of the tenant', async () => {
    const back = await followAdminConsent((await callbackPageOfRefusedSignIn()).adminConsentUrl, USER);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('admin_consent')).toBeNull();
  });

  it("signs the tenant's user in once its administrator followed the admin consent link", async () => {
    const back = await followAdminConsent((await callbackPageOfRefusedSignIn()).adminConsentUrl, ADMIN);
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ admin_consent: 'True', tenant: ADMIN_CONSENT_TENANT_ID });
    const landing = await openCallback(gateway!.url, back);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('ADMIN_CONSENT_GRANTED');
    const signedIn = await signInAs(gateway!.url, USER);
    expect(signedIn.connection).toMatchObject({ channel: 'MAIN', tenantId: ADMIN_CONSENT_TENANT_ID, email: USER });
  });
});

