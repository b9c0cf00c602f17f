// Signs a sandbox user in through GraphQL as a browser would: start, follow the authorize URL once, complete.
import type { Gateway } from '../../src/app';
import { createTrustedAgent, httpsRequest } from '../../src/microsoft/trusted-https';
import { graphql } from './http';

export interface SignedInUser {
  sessionToken: string;
  email: string;
}

/** Signs `email` in on `channel`; with `sessionToken`, links that channel to the same gateway user. */
export async function signInAs(gateway: Gateway, email: string, options: { channel?: 'MAIN' | 'BETA'; sessionToken?: string } = {}): Promise<SignedInUser> {
  const channel = options.channel ?? 'MAIN';
  const started = await graphql<{ startMicrosoftSignIn: { authorizationUrl: string } }>(gateway.url,
    'mutation($channel: Channel, $hint: String) { startMicrosoftSignIn(channel: $channel, loginHint: $hint) { authorizationUrl } }',
    { variables: { channel, hint: email }, token: options.sessionToken });
  if (!started.data) throw new Error(`startMicrosoftSignIn failed: ${JSON.stringify(started.errors)}`);
  const agent = createTrustedAgent({ caPem: gateway.sandbox ? [gateway.sandbox.caCertificatePem] : [] });
  try {
    const answer = await httpsRequest(agent, started.data.startMicrosoftSignIn.authorizationUrl, { timeoutMs: 10_000 });
    const { code, state } = readCodeAndState(answer.headers.location, answer.body);
    const completed = await graphql<{ completeMicrosoftSignIn: { sessionToken: string } }>(gateway.url,
      'mutation($channel: Channel, $code: String!, $state: String!) { completeMicrosoftSignIn(channel: $channel, code: $code, state: $state) { sessionToken } }',
      { variables: { channel, code, state }, token: options.sessionToken });
    if (!completed.data) throw new Error(`completeMicrosoftSignIn failed: ${JSON.stringify(completed.errors)}`);
    return { sessionToken: completed.data.completeMicrosoftSignIn.sessionToken, email };
  } finally {
    agent.destroy();
  }
}

function readCodeAndState(location: string | undefined, body: string): { code: string; state: string } {
  if (location) {
    const url = new URL(location);
    const params = new URLSearchParams(url.search || url.hash.slice(1));
    const code = params.get('code');
    const state = params.get('state');
    if (code && state) return { code, state };
    throw new Error(`The authorize endpoint redirected without a code (error ${params.get('error') ?? 'none'})`);
  }
  // response_mode=form_post: the code and state are hidden inputs of an auto-submitting form.
  const field = (name: string) => new RegExp(`name="${name}"\\s+value="([^"]*)"`).exec(body)?.[1];
  const code = field('code');
  const state = field('state');
  if (code && state) return { code, state };
  throw new Error('The authorize endpoint answered without a code');
}
