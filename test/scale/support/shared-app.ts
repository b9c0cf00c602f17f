// One sandbox app registration for every instance of a deployment, and the Microsoft settings they all start with.
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../../src/sandbox';

/** The load balancer's address: Microsoft redirects there, whichever instance started the sign-in. */
export const PUBLIC_URL = 'http://gateway.test';
export const REDIRECT_URI = `${PUBLIC_URL}/auth/microsoft/callback`;

/**
 * Environment for instances that share one client id, as a deployment's instances do: each can read what another
 * refreshed (msal-node keys its cache by client id). The sandbox's CA goes to `folder` for MICROSOFT_CA_FILE.
 */
export function sharedAppEnvironment(sandbox: Sandbox, folder: string): Record<string, string> {
  const caFile = join(folder, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.caCertificatePem);
  const app = { clientId: `scale-${randomUUID()}`, clientSecret: randomBytes(24).toString('base64url'), redirectUris: [REDIRECT_URI] };
  sandbox.registerApp(app);
  return {
    SANDBOX: 'off',
    CHANNELS: 'main',
    DEFAULT_CHANNEL: 'main',
    MICROSOFT_AUTHORITY_HOST: sandbox.authorityHost,
    MICROSOFT_GRAPH_BASE_URL: sandbox.graphBaseUrl,
    MICROSOFT_CA_FILE: caFile,
    MICROSOFT_CLIENT_ID: app.clientId,
    MICROSOFT_CLIENT_SECRET: app.clientSecret,
    MICROSOFT_REDIRECT_URI: REDIRECT_URI,
  };
}
