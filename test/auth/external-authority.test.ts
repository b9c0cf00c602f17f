// Against an identity platform that is not the in-process sandbox (as a stand-in or Microsoft itself): msal-node
// fetches the OpenID metadata over HTTPS, trusting MICROSOFT_CA_FILE, and the whole flow still works.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Channel } from '../../src/config/channels';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { describeEachDatabase } from '../support/databases';
import { graphql } from '../support/http';
import { signInAs } from '../support/microsoft-sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

let folder = '';
let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;

describeEachDatabase('an external identity platform', (target) => {
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'gw-external-'));
    sandbox = await startSandbox({ quiet: true });
    const caFile = join(folder, 'ca.pem');
    writeFileSync(caFile, sandbox.caCertificatePem);
    const redirectUri = 'http://localhost:4999/auth/microsoft/callback';
    sandbox.registerApp({ clientId: 'external-main', clientSecret: 'external-main-secret', redirectUris: [redirectUri] });
    sandbox.registerApp({ clientId: 'external-beta', clientSecret: 'external-beta-secret', redirectUris: [redirectUri] });
    gateway = await startTestGateway({
      SANDBOX: 'off',
      RATE_LIMITS: 'off',
      MICROSOFT_AUTHORITY_HOST: sandbox.authorityHost,
      MICROSOFT_GRAPH_BASE_URL: sandbox.graphBaseUrl,
      MICROSOFT_CA_FILE: caFile,
      MICROSOFT_CLIENT_ID: 'external-main',
      MICROSOFT_CLIENT_SECRET: 'external-main-secret',
      MICROSOFT_BETA_CLIENT_ID: 'external-beta',
      MICROSOFT_BETA_CLIENT_SECRET: 'external-beta-secret',
      MICROSOFT_REDIRECT_URI: redirectUri,
      DATABASE_URL: target.freshUrl(),
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
    rmSync(folder, { recursive: true, force: true });
    await target.dropAll();
  });

  it.each(['MAIN', 'BETA'])('signs in on %s and refreshes, with metadata discovered over HTTPS', async (channel) => {
    sandbox!.control.setAccessTokenLifetime(120);
    const signedIn = await signInAs(gateway!.url, sandbox!.users[0].email, { channel });
    const viewer = await graphql(gateway!.url, '{ viewer { email } }', { token: signedIn.sessionToken });
    expect(viewer.data).toEqual({ viewer: { email: sandbox!.users[0].email } });
    sandbox!.control.resetCounters();
    await gateway!.services.tokenService.getAccessToken(signedIn.viewer.id, channel.toLowerCase() as Channel);
    expect(sandbox!.control.counters().tokenGrants.refresh_token).toBe(1);
  });
});
