// Clients of a bench run: GraphQL to the gateway over keep-alive HTTP, sign-in as a browser would, and Graph directly.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type https from 'node:https';
import { createTrustedAgent, httpsRequest } from '../../src/microsoft/trusted-https';
import type { Sandbox } from '../../src/sandbox';
import { DIRECT_CLIENT_ID, DIRECT_REDIRECT_URI } from './bench-environment';

export interface GraphQLAnswer<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

const gatewayAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function postGraphQL<T = Record<string, unknown>>(
  gatewayUrl: string, query: string, options: { variables?: Record<string, unknown>; token?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<GraphQLAnswer<T>> {
  const body = JSON.stringify({ query, variables: options.variables });
  return new Promise((resolve, reject) => {
    const request = http.request(`${gatewayUrl}/graphql`, {
      method: 'POST', agent: gatewayAgent,
      headers: {
        'content-type': 'application/json', 'content-length': Buffer.byteLength(body),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers,
      },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<GraphQLAnswer<T>, 'status'>;
          resolve({ status: response.statusCode ?? 0, ...parsed });
        } catch (error) {
          reject(new Error(`the gateway answered ${response.statusCode} with a body that is not JSON`));
        }
      });
    });
    request.on('error', reject);
    request.setTimeout(options.timeoutMs ?? 30_000, () => request.destroy(new Error('GraphQL request timed out')));
    request.end(body);
  });
}

export function closeGatewayAgent(): void {
  gatewayAgent.destroy();
}

/** Signs `email` in through the gateway: start, open the start route and Microsoft's authorization URL once, complete. */
export async function signInThroughGateway(gatewayUrl: string, caAgent: https.Agent, email: string): Promise<string> {
  const started = await postGraphQL<{ startMicrosoftSignIn: { authorizationUrl: string; completionSecret: string } }>(gatewayUrl,
    'mutation($hint: String) { startMicrosoftSignIn(loginHint: $hint) { authorizationUrl completionSecret } }', { variables: { hint: email } });
  const start = started.data?.startMicrosoftSignIn;
  if (!start) throw new Error(`startMicrosoftSignIn failed: ${errorCodesOf(started)}`);
  const { code, state } = await codeFromAuthorize(caAgent, await microsoftUrlFromStart(start.authorizationUrl));
  const completed = await postGraphQL<{ completeMicrosoftSignIn: { sessionToken: string } }>(gatewayUrl,
    'mutation($code: String!, $state: String!, $secret: String) { completeMicrosoftSignIn(code: $code, state: $state, completionSecret: $secret) { sessionToken } }',
    { variables: { code, state, secret: start.completionSecret } });
  const sessionToken = completed.data?.completeMicrosoftSignIn.sessionToken;
  if (!sessionToken) throw new Error(`completeMicrosoftSignIn failed: ${errorCodesOf(completed)}`);
  return sessionToken;
}

/** The gateway's start route redirects to Microsoft's authorization URL (its binding cookie is not needed for a GraphQL completion). */
async function microsoftUrlFromStart(authorizationUrl: string): Promise<string> {
  const response = await fetch(authorizationUrl, { redirect: 'manual' });
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (response.status !== 303 || !location) throw new Error(`the start route answered ${response.status} without a redirect`);
  return location;
}

/** Runs `task` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function errorCodesOf(answer: GraphQLAnswer<unknown>): string {
  return (answer.errors ?? []).map((error) => String(error.extensions?.code ?? 'no code')).join(', ') || `HTTP ${answer.status}`;
}

async function codeFromAuthorize(caAgent: https.Agent, authorizationUrl: string): Promise<{ code: string; state: string }> {
  const answer = await httpsRequest(caAgent, authorizationUrl, { timeoutMs: 10_000 });
  const location = answer.headers.location;
  if (location) {
    const url = new URL(location);
    const params = new URLSearchParams(url.search || url.hash.slice(1));
    const code = params.get('code');
    const state = params.get('state');
    if (code && state) return { code, state };
    throw new Error(`/authorize redirected without a code (error ${params.get('error') ?? 'none'})`);
  }
  // response_mode=form_post: code and state are hidden inputs of an auto-submitting form.
  const field = (name: string) => new RegExp(`name="${name}"\\s+value="([^"]*)"`).exec(answer.body)?.[1];
  const code = field('code');
  const state = field('state');
  if (code && state) return { code, state };
  throw new Error(`/authorize answered ${answer.status} without a code`);
}

export function sandboxAgent(sandbox: Sandbox): https.Agent {
  return createTrustedAgent({ caPem: [sandbox.caCertificatePem], keepAlive: true });
}

/** An access token for `email` issued to the bench's own app: the floor's requests go straight to Graph with it. */
export async function directAccessToken(sandbox: Sandbox, agent: https.Agent, directSecret: string, email: string): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = new URL(`${sandbox.authorityHost}/common/oauth2/v2.0/authorize`);
  for (const [name, value] of Object.entries({
    client_id: DIRECT_CLIENT_ID, response_type: 'code', redirect_uri: DIRECT_REDIRECT_URI, scope: 'openid offline_access Calendars.ReadWrite User.Read',
    state: randomBytes(8).toString('hex'), login_hint: email, code_challenge: challenge, code_challenge_method: 'S256',
  })) authorize.searchParams.set(name, value);
  const { code } = await codeFromAuthorize(agent, authorize.toString());
  const form = new URLSearchParams({
    client_id: DIRECT_CLIENT_ID, client_secret: directSecret, grant_type: 'authorization_code', code,
    redirect_uri: DIRECT_REDIRECT_URI, code_verifier: verifier, scope: 'openid offline_access Calendars.ReadWrite User.Read',
  }).toString();
  const answer = await httpsRequest(agent, `${sandbox.authorityHost}/common/oauth2/v2.0/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, timeoutMs: 10_000,
  });
  const accessToken = (JSON.parse(answer.body) as { access_token?: string }).access_token;
  if (answer.status !== 200 || !accessToken) throw new Error(`the sandbox refused the bench app's code (HTTP ${answer.status})`);
  return accessToken;
}
