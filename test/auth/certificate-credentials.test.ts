// MICROSOFT_CLIENT_CERTIFICATE_FILE: the gateway authenticates to the identity platform with client assertions signed by its certificate, never a secret.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Channel } from '../../src/config/channels';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { createTestCertificate } from '../support/client-certificate';
import { describeEachDatabase } from '../support/databases';
import { errorCodes, graphql } from '../support/http';
import { authorize, completeSignIn, signInAs, startSignIn } from '../support/microsoft-sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const REDIRECT_URI = 'http://localhost:4999/auth/microsoft/callback';
let folder = '';
let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;
let wronglyKeyed: StartedGateway | undefined;

describeEachDatabase('certificate credentials', (target) => {
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'gw-certificate-'));
    const registered = await createTestCertificate(folder, 'registered');
    const stranger = await createTestCertificate(folder, 'stranger');
    sandbox = await startSandbox({ quiet: true });
    // The gateway is never told this secret: only the certificate can authenticate it.
    sandbox.registerApp({ clientId: 'certificate-app', clientSecret: 'never-given-to-the-gateway', certificate: registered.certificatePem, redirectUris: [REDIRECT_URI] });
    const app = {
      SANDBOX: 'off',
      RATE_LIMITS: 'off',
      MICROSOFT_AUTHORITY_HOST: sandbox.authorityHost,
      MICROSOFT_GRAPH_BASE_URL: sandbox.graphBaseUrl,
      MICROSOFT_CA_FILE: join(folder, 'ca.pem'),
      MICROSOFT_CLIENT_ID: 'certificate-app',
      MICROSOFT_CLIENT_SECRET: '',
      MICROSOFT_REDIRECT_URI: REDIRECT_URI,
    };
    writeFileSync(app.MICROSOFT_CA_FILE, sandbox.caCertificatePem);
    gateway = await startTestGateway({ ...app, MICROSOFT_CLIENT_CERTIFICATE_FILE: registered.file, DATABASE_URL: target.freshUrl() });
    wronglyKeyed = await startTestGateway({ ...app, MICROSOFT_CLIENT_CERTIFICATE_FILE: stranger.file, DATABASE_URL: target.freshUrl() });
  });

  afterAll(async () => {
    await gateway?.close();
    await wronglyKeyed?.close();
    await sandbox?.close();
    rmSync(folder, { recursive: true, force: true });
    await target.dropAll();
  });

  it('signs a user in, reads events and refreshes twice with the certificate', async () => {
    const signedIn = await signInAs(gateway!.url, sandbox!.users[0].email);
    const now = Date.now();
    const events = await graphql<{ events: { nodes: unknown[] } }>(gateway!.url, 'query($start: DateTime!, $end: DateTime!) { events(start: $start, end: $end) { nodes { id subject } } }', {
      token: signedIn.sessionToken,
      variables: { start: new Date(now - 7 * 86_400_000).toISOString(), end: new Date(now + 7 * 86_400_000).toISOString() },
    });
    expect(events.errors).toBeUndefined();
    expect(events.data!.events.nodes.length).toBeGreaterThan(0);
    // Two refreshes of one user's application within ten minutes: each needs an assertion of its own.
    sandbox!.control.resetCounters();
    for (let refresh = 0; refresh < 2; refresh += 1) {
      await gateway!.services.tokenService.getAccessToken(signedIn.viewer.id, Channel.MAIN, { forceRefresh: true });
    }
    expect(sandbox!.control.counters().tokenGrants.refresh_token).toBe(2);
  });

  it('fails the sign-in with MICROSOFT_ERROR when Microsoft does not know the certificate, and logs AADSTS700027', async () => {
    const started = await startSignIn(wronglyKeyed!.url, { loginHint: sandbox!.users[1].email });
    const { callback } = await authorize(started.authorizationUrl);
    const response = await completeSignIn(wronglyKeyed!.url, { code: callback.searchParams.get('code')!, state: started.state, completionSecret: started.completionSecret });
    expect(errorCodes(response)).toEqual(['SIGN_IN_FAILED']);
    expect(response.errors![0].extensions).toMatchObject({ reason: 'MICROSOFT_ERROR' });
    const refusal = wronglyKeyed!.logLines.find((line) => line.includes('Microsoft refused the sign-in'));
    expect(JSON.parse(refusal!)).toMatchObject({ level: 40, errorCode: 'invalid_client', aadsts: 700027, reason: 'MICROSOFT_ERROR' });
  });
});
