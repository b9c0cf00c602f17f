// Signs a sandbox user in through the gateway as a client would: start, follow Microsoft's redirect, complete.
import { graphql, type GraphQLResponse } from './http';

export const START_SIGN_IN = `mutation Start($channel: Channel, $returnTo: String, $loginHint: String) {
  startMicrosoftSignIn(channel: $channel, returnTo: $returnTo, loginHint: $loginHint) { authorizationUrl state expiresAt channel }
}`;

export const COMPLETE_SIGN_IN = `mutation Complete($channel: Channel, $code: String!, $state: String!) {
  completeMicrosoftSignIn(channel: $channel, code: $code, state: $state) {
    sessionToken sessionExpiresAt
    viewer { id displayName email connections { channel microsoftUserId tenantId email active needsReconnect } }
    connection { channel microsoftUserId tenantId email displayName scopes connectedAt lastUsedAt accessTokenExpiresAt active needsReconnect }
  }
}`;

export interface StartedSignIn {
  authorizationUrl: string;
  state: string;
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

/** Opens the authorization URL without a browser; with a login hint the sandbox redirects straight back. */
export async function followAuthorization(authorizationUrl: string, extraParams: Record<string, string> = {}): Promise<URL> {
  const url = new URL(authorizationUrl);
  for (const [name, value] of Object.entries(extraParams)) url.searchParams.set(name, value);
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  await response.body?.cancel();
  if (response.status !== 302 || !location) throw new Error(`expected a redirect from /authorize, got ${response.status}`);
  return new URL(location);
}

export async function completeSignIn(
  gatewayUrl: string,
  variables: { channel?: string; code: string; state: string },
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
  const callback = await followAuthorization(started.authorizationUrl);
  // A linking sign-in completes only with the session of the user who started it.
  const response = await completeSignIn(
    gatewayUrl,
    { channel: options.channel, code: callback.searchParams.get('code') ?? '', state: callback.searchParams.get('state') ?? '' },
    options.token,
  );
  if (!response.data?.completeMicrosoftSignIn) throw new Error(`completeMicrosoftSignIn failed: ${JSON.stringify(response.errors)}`);
  return response.data.completeMicrosoftSignIn;
}
