// Shared set-up for the sandbox tests: a sandbox on random ports, the real msal-node and Graph clients wired to it.
import type https from 'node:https';
import { ConfidentialClientApplication, CryptoProvider, type AuthenticationResult } from '@azure/msal-node';
import { Client, MiddlewareFactory, type AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { startSandbox, type Sandbox, type SandboxApp, type SandboxOptions } from '../../src/sandbox';
import { createMsalNetworkClient, createTrustedAgent, httpsRequest, TrustedHttpMessageHandler } from '../../src/microsoft/trusted-https';

export const TEST_APP: SandboxApp = {
  clientId: 'test-client-0001',
  clientSecret: 'test-secret-value',
  redirectUris: ['http://localhost:4000/auth/microsoft/callback'],
};
export const REDIRECT_URI = TEST_APP.redirectUris[0];
export const SCOPES = ['User.Read', 'Calendars.ReadWrite'];
export const ADELE = 'adele.vance@contoso.example';
export const ALEX = 'alex.wilber@contoso.example';

export interface TestSandbox {
  sandbox: Sandbox;
  agent: https.Agent;
  close(): Promise<void>;
}

export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = await startSandbox({ quiet: true, apps: [TEST_APP], ...options });
  const agent = createTrustedAgent({ caPem: [sandbox.caCertificatePem] });
  return {
    sandbox,
    agent,
    close: async () => {
      agent.destroy();
      await sandbox.close();
    },
  };
}

export function msalClient(env: TestSandbox, tenant = 'common', app: SandboxApp = TEST_APP): ConfidentialClientApplication {
  const host = new URL(env.sandbox.authorityHost).host;
  return new ConfidentialClientApplication({
    auth: {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      authority: `${env.sandbox.authorityHost}/${tenant}`,
      knownAuthorities: [host],
      authorityMetadata: env.sandbox.authorityMetadata(tenant),
    },
    system: { networkClient: createMsalNetworkClient(env.agent, 10_000) },
  });
}

/** Builds the authorize URL with PKCE, lets the sandbox sign `email` in via login_hint, and returns the redirect. */
export async function authorize(env: TestSandbox, client: ConfidentialClientApplication, email: string, extra: Record<string, string> = {}) {
  const crypto = new CryptoProvider();
  const pkce = await crypto.generatePkceCodes();
  const nonce = crypto.createNewGuid();
  const state = crypto.createNewGuid();
  const url = await client.getAuthCodeUrl({
    scopes: SCOPES, redirectUri: REDIRECT_URI, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', nonce, state, loginHint: email, ...extra,
  });
  const response = await httpsRequest(env.agent, url);
  const location = response.headers.location ? new URL(response.headers.location) : undefined;
  return { url, response, location, verifier: pkce.verifier, nonce, state };
}

export async function signIn(env: TestSandbox, client: ConfidentialClientApplication, email: string): Promise<AuthenticationResult> {
  const { location, verifier, nonce } = await authorize(env, client, email);
  const code = location?.searchParams.get('code');
  if (!code) throw new Error(`No code in redirect: ${location?.toString()}`);
  return client.acquireTokenByCode({ code, scopes: SCOPES, redirectUri: REDIRECT_URI, codeVerifier: verifier, nonce });
}

/** The real Graph client: default middleware chain, but the last hop trusts the sandbox CA. */
export function graphClient(env: TestSandbox, getAccessToken: () => Promise<string>, version = 'v1.0'): Client {
  const authProvider: AuthenticationProvider = { getAccessToken };
  const middleware = MiddlewareFactory.getDefaultMiddlewareChain(authProvider);
  middleware[middleware.length - 1] = new TrustedHttpMessageHandler(env.agent);
  return Client.initWithMiddleware({
    baseUrl: env.sandbox.graphBaseUrl,
    defaultVersion: version,
    customHosts: new Set([new URL(env.sandbox.graphBaseUrl).hostname]),
    middleware,
  });
}

/** A raw call to the sandbox's HTTPS server, for status codes and headers the clients hide. */
export function rawRequest(env: TestSandbox, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return httpsRequest(env.agent, `${env.sandbox.authorityHost}${path}`, options);
}

/** A sandbox with Adele and Alex signed in, each with a Graph client that reads their token from `tokens` on every call. */
export async function startWithAdeleAndAlex(): Promise<{ env: TestSandbox; tokens: Record<string, string>; adele: Client; alex: Client }> {
  const env = await startTestSandbox();
  const tokens: Record<string, string> = {};
  for (const email of [ADELE, ALEX]) tokens[email] = (await signIn(env, msalClient(env), email)).accessToken;
  return { env, tokens, adele: graphClient(env, async () => tokens[ADELE]), alex: graphClient(env, async () => tokens[ALEX]) };
}
