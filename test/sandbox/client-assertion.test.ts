// The sandbox's token endpoint authenticates apps by client assertions signed with their registered certificate, as Microsoft does.
import { createHash, createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { readClientCertificate } from '../../src/config/client-certificate';
import { clientAssertionSigner } from '../../src/microsoft/client-assertion';
import { createMsalNetworkClient } from '../../src/microsoft/trusted-https';
import type { SandboxApp } from '../../src/sandbox';
import { createTestCertificate, type TestCertificate } from '../support/client-certificate';
import { ADELE, rawRequest, REDIRECT_URI, signIn, startTestSandbox, type TestSandbox } from './helpers';

let env: TestSandbox | undefined;
let folder = '';
let registered: TestCertificate;
let stranger: TestCertificate;
let app: SandboxApp;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'sandbox-assertion-'));
  registered = await createTestCertificate(folder, 'registered');
  stranger = await createTestCertificate(folder, 'stranger');
  app = { clientId: 'certificate-client', clientSecret: 'a-secret-this-test-never-sends', certificate: registered.certificatePem, redirectUris: [REDIRECT_URI] };
  env = await startTestSandbox({ apps: [app] });
});
afterAll(async () => {
  await env?.close();
  rmSync(folder, { recursive: true, force: true });
});

const tokenEndpoint = () => `${env!.sandbox.authorityHost}/common/oauth2/v2.0/token`;
const thumbprint = (certificate: TestCertificate, algorithm: 'sha256' | 'sha1') =>
  createHash(algorithm).update(new X509Certificate(certificate.certificatePem).raw).digest('base64url');

/** An assertion as msal-node builds it (PS256, x5t#S256), with any part overridden. */
function assertion(options: { key?: TestCertificate; header?: Record<string, unknown>; claims?: Record<string, unknown> } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'PS256', 'x5t#S256': thumbprint(registered, 'sha256'), ...options.header };
  const claims = { aud: tokenEndpoint(), iss: app.clientId, sub: app.clientId, nbf: now, exp: now + 600, jti: randomUUID(), ...options.claims };
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const signed = `${encode(header)}.${encode(claims)}`;
  const key = createPrivateKey((options.key ?? registered).privateKeyPem);
  const padding = header.alg === 'PS256' ? { padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 } : {};
  return `${signed}.${sign('sha256', Buffer.from(signed), { key, ...padding }).toString('base64url')}`;
}

/** A refresh with an unknown token: AADSTS9002313 means the client was authenticated, anything else that it was not. */
async function postWith(clientAssertion: string, type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'unknown', client_id: app.clientId, client_assertion_type: type, client_assertion: clientAssertion });
  const response = await rawRequest(env!, '/common/oauth2/v2.0/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  return { status: response.status, ...(JSON.parse(response.body) as { error: string; error_codes: number[]; error_description: string }) };
}

/** The real msal-node with a certificate: msal-node's own clientCertificate, or the gateway's signer (a new assertion per request). */
function certificateClient(certificate: TestCertificate, signing: 'msal-node' | 'gateway'): ConfidentialClientApplication {
  const authority = `${env!.sandbox.authorityHost}/common`;
  const read = readClientCertificate(certificate.file);
  const credential = signing === 'gateway'
    ? { clientAssertion: clientAssertionSigner(read) }
    : { clientCertificate: { thumbprintSha256: read.thumbprintSha256, privateKey: read.privateKeyPem } };
  return new ConfidentialClientApplication({
    auth: { clientId: app.clientId, ...credential, authority, knownAuthorities: [new URL(authority).host], authorityMetadata: env!.sandbox.authorityMetadata('common') },
    system: { networkClient: createMsalNetworkClient(env!.agent, 10_000) },
  });
}

describe('client assertions', () => {
  it('signs a user in and refreshes twice with msal-node and the gateway signer', async () => {
    const client = certificateClient(registered, 'gateway');
    const result = await signIn(env!, client, ADELE);
    expect(result.account?.username).toBe(ADELE);
    for (let refresh = 0; refresh < 2; refresh += 1) {
      const refreshed = await client.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'], forceRefresh: true });
      expect(refreshed.accessToken).not.toBe(result.accessToken);
    }
  });

  it("refuses the second request of msal-node's own clientCertificate, which sends the same assertion again", async () => {
    const client = certificateClient(registered, 'msal-node');
    const result = await signIn(env!, client, ADELE);
    const failure = await client.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'], forceRefresh: true }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ errorCode: 'invalid_client', errorNo: 50027 });
  });

  it('accepts RS256 with the SHA-1 x5t header too', async () => {
    const answer = await postWith(assertion({ header: { alg: 'RS256', 'x5t#S256': undefined, x5t: thumbprint(registered, 'sha1') } }));
    expect(answer.error_codes).toEqual([9002313]);
  });

  it('refuses a replayed jti', async () => {
    const once = assertion();
    expect((await postWith(once)).error_codes).toEqual([9002313]);
    const replayed = await postWith(once);
    expect(replayed).toMatchObject({ status: 401, error: 'invalid_client', error_codes: [50027] });
    expect(replayed.error_description).toContain('already used');
  });

  it('answers AADSTS700027 invalid_client to an assertion signed with a certificate the app does not have', async () => {
    const answer = await postWith(assertion({ key: stranger, header: { 'x5t#S256': thumbprint(stranger, 'sha256') } }));
    expect(answer).toMatchObject({ status: 401, error: 'invalid_client', error_codes: [700027] });
    expect(answer.error_description).toContain('not registered on application');
  });

  it('answers AADSTS700027 to the registered thumbprint over another key’s signature', async () => {
    const answer = await postWith(assertion({ key: stranger }));
    expect(answer).toMatchObject({ status: 401, error: 'invalid_client', error_codes: [700027] });
    expect(answer.error_description).toContain('invalid signature');
  });

  it.each([
    ['another audience', { claims: { aud: 'https://login.microsoftonline.com/common/oauth2/v2.0/token' } }, 700023],
    ['another issuer', { claims: { iss: 'someone-else' } }, 700021],
    ['an expired assertion', { claims: { exp: Math.floor(Date.now() / 1000) - 3600, nbf: Math.floor(Date.now() / 1000) - 4200 } }, 700024],
    ['an assertion not valid yet', { claims: { nbf: Math.floor(Date.now() / 1000) + 3600, exp: Math.floor(Date.now() / 1000) + 4200 } }, 700024],
    ['no jti', { claims: { jti: undefined } }, 50027],
    ['no thumbprint', { header: { 'x5t#S256': undefined } }, 50027],
    ['an unsigned token', { header: { alg: 'none' } }, 50027],
  ])('refuses %s', async (_case, overrides, code) => {
    const answer = await postWith(assertion(overrides as Parameters<typeof assertion>[0]));
    expect(answer).toMatchObject({ status: 401, error: 'invalid_client', error_codes: [code] });
  });

  it('refuses another client_assertion_type', async () => {
    const answer = await postWith(assertion(), 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer');
    expect(answer.error_codes).toEqual([50027]);
  });
});
