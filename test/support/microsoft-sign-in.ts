// Signs a sandbox user in through the gateway as a client would: start, open the start route (binding cookie), follow Microsoft's redirect, complete.
import { graphql, type GraphQLResponse } from './http';

export const START_SIGN_IN = `mutation Start($channel: Channel, $returnTo: String, $loginHint: String) {
  startMicrosoftSignIn(channel: $channel, returnTo: $returnTo, loginHint: $loginHint) { authorizationUrl state completionSecret expiresAt channel }
}`;

export const COMPLETE_SIGN_IN = `mutation Complete($channel: Channel, $code: String!, $state: String!, $completionSecret: String) {
  completeMicrosoftSignIn(channel: $channel, code: $code, state: $state, completionSecret: $completionSecret) {
    sessionToken sessionExpiresAt
    viewer { id displayName email connections { channel microsoftUserId tenantId email active needsReconnect } }
    connection { channel microsoftUserId tenantId email displayName scopes connectedAt lastUsedAt accessTokenExpiresAt active needsReconnect }
  }
}`;

export interface StartedSignIn {
  authorizationUrl: string;
  state: string;
  completionSecret: string;
  expiresAt: string;
  channel: string;
}

export interface CompletedSignIn {
  sessionToken: string;
  sessionExpiresAt: string;
  viewer: { id: string; displayName: string | null; email: string | null; connections: Array<Record<string, unknown>> };
  connection: Record<string, unknown>;
}

export async function startSignIn(
  gatewayUrl: string,
  variables: { channel?: string; returnTo?: string; loginHint?: string } = {},
  token?: string,
): Promise<StartedSignIn> {
  const response = await graphql<{ startMicrosoftSignIn: StartedSignIn }>(gatewayUrl, START_SIGN_IN, { variables, token });
  if (!response.data?.startMicrosoftSignIn) throw new Error(`startMicrosoftSignIn failed: ${JSON.stringify(response.errors)}`);
  return response.data.startMicrosoftSignIn;
}

/** A browser's view of an opened sign-in: where it was sent and the binding cookie (`name=value`) it was given. */
export interface OpenedStart {
  microsoftUrl: URL;
  cookie: string;
}

/** Opens the gateway's start route as a browser would: it binds the sign-in with a cookie and redirects to Microsoft. */
export async function openStart(authorizationUrl: string, cookie?: string): Promise<OpenedStart> {
  const response = await fetch(authorizationUrl, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const location = response.headers.get('location');
  await response.body?.cancel();
  if (response.status !== 303 || !location) throw new Error(`expected a redirect from the start route, got ${response.status}`);
  const setCookie = response.headers.get('set-cookie');
  return { microsoftUrl: new URL(location), cookie: setCookie ? setCookie.split(';')[0] : (cookie ?? '') };
}

/** The start route, then Microsoft's /authorize without a browser (with a login hint the sandbox redirects straight back). */
export async function authorize(authorizationUrl: string, extraParams: Record<string, string> = {}): Promise<OpenedStart & { callback: URL }> {
  const { microsoftUrl, cookie } = await openStart(authorizationUrl);
  for (const [name, value] of Object.entries(extraParams)) microsoftUrl.searchParams.set(name, value);
  const response = await fetch(microsoftUrl, { redirect: 'manual' });
  const location = response.headers.get('location');
  await response.body?.cancel();
  if (response.status !== 302 || !location) throw new Error(`expected a redirect from /authorize, got ${response.status}`);
  return { callback: new URL(location), cookie, microsoftUrl };
}

/** Where Microsoft sent the browser back to (the callback URL with code and state). */
export async function followAuthorization(authorizationUrl: string, extraParams: Record<string, string> = {}): Promise<URL> {
  return (await authorize(authorizationUrl, extraParams)).callback;
}

/** Opens a callback URL on the gateway (the registered redirect URI names no real port in tests), with a browser's cookie if given. */
export function openCallback(gatewayUrl: string, callback: URL, cookie?: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${gatewayUrl}${callback.pathname}${callback.search}`, { ...init, headers: cookie ? { cookie } : {} });
}

export async function completeSignIn(
  gatewayUrl: string,
  variables: { channel?: string; code: string; state: string; completionSecret?: string },
  token?: string,
): Promise<GraphQLResponse<{ completeMicrosoftSignIn: CompletedSignIn }>> {
  return graphql<{ completeMicrosoftSignIn: CompletedSignIn }>(gatewayUrl, COMPLETE_SIGN_IN, { variables, token });
}

/** The whole flow for one sandbox user; returns the completed sign-in or throws with the errors. */
export async function signInAs(
  gatewayUrl: string,
  email: string,
  options: { channel?: string; token?: string } = {},
): Promise<CompletedSignIn> {
  const started = await startSignIn(gatewayUrl, { channel: options.channel, loginHint: email }, options.token);
  // Opened on the gateway this client talks to: behind a load balancer, PUBLIC_URL may name an address tests cannot reach.
  const start = new URL(started.authorizationUrl);
  const callback = await followAuthorization(`${gatewayUrl}${start.pathname}${start.search}`);
  // A linking sign-in completes only with the session of the user who started it.
  const response = await completeSignIn(
    gatewayUrl,
    {
      channel: options.channel,
      code: callback.searchParams.get('code') ?? '',
      state: callback.searchParams.get('state') ?? '',
      completionSecret: started.completionSecret,
    },
    options.token,
  );
  if (!response.data?.completeMicrosoftSignIn) throw new Error(`completeMicrosoftSignIn failed: ${JSON.stringify(response.errors)}`);
  return response.data.completeMicrosoftSignIn;
}
