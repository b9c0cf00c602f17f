// Runs the Microsoft sandbox on its own (`npm run sandbox`) with a demo app registration, printing its URLs and CA file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SANDBOX_TENANT_ID, startSandbox } from './index';

const USAGE = `Usage: npm run sandbox [-- --gateway URL|PORT] [--state FILE | --no-state]
  --gateway   the gateway's public address (or just its port on localhost); its callback is the demo app's
              redirect URI. Default: http://localhost:4000
  --state     where users, events and issued tokens are kept across restarts. Default: data/sandbox-standalone.json
  --no-state  keep everything in memory only`;

function portFrom(value: string | undefined, fallback: number): number {
  const port = value === undefined || value === '' ? fallback : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Not a port number: ${value}`);
  return port;
}

/** `5000` or `http://localhost:5000` (or any public URL the gateway is reached at) becomes its callback URL. */
export function gatewayCallbackFrom(value: string | undefined): string {
  const base = !value ? 'http://localhost:4000' : /^\d+$/.test(value) ? `http://localhost:${portFrom(value, 4000)}` : value;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`--gateway: expected a URL such as http://localhost:4000 or a port, got ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('--gateway: expected an http or https URL');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/auth/microsoft/callback`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { gateway: { type: 'string' }, state: { type: 'string' }, 'no-state': { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) return void console.log(USAGE);
  const demoApp = { clientId: 'sandbox-main-client', clientSecret: 'sandbox-secret', redirectUris: [gatewayCallbackFrom(values.gateway)] };
  const sandbox = await startSandbox({
    host: process.env.SANDBOX_HOST || '127.0.0.1',
    port: portFrom(process.env.SANDBOX_PORT, 4443),
    browserPort: portFrom(process.env.SANDBOX_BROWSER_PORT, 4080),
    apps: [demoApp],
    stateFile: values['no-state'] ? undefined : path.resolve(values.state ?? 'data/sandbox-standalone.json'),
  });
  const caFile = path.resolve(process.env.SANDBOX_CA_FILE || 'data/sandbox-ca.pem');
  mkdirSync(path.dirname(caFile), { recursive: true });
  writeFileSync(caFile, sandbox.caCertificatePem);
  const redirectUri = demoApp.redirectUris[0];
  const gatewayUrl = redirectUri.replace(/\/auth\/microsoft\/callback$/, '');
  const gatewayPort = new URL(gatewayUrl).port || (gatewayUrl.startsWith('https:') ? '443' : '80');
  console.log(`Microsoft sandbox running.
  Identity platform (HTTPS): ${sandbox.authorityHost}/common/v2.0/.well-known/openid-configuration
  Graph (HTTPS):             ${sandbox.graphBaseUrl}/v1.0/me
  Sign-in page (HTTP):       ${sandbox.browserBaseUrl}/common/oauth2/v2.0/authorize
  Control:                   ${sandbox.authorityHost}/_sandbox/counters
  CA certificate:            ${caFile}
  Tenant id:                 ${SANDBOX_TENANT_ID}
  Demo app:                  client id ${demoApp.clientId}, secret ${demoApp.clientSecret}, redirect ${redirectUri}
  Users:                     ${sandbox.users.map((user) => user.email).join(', ')}
Start the gateway against it:
  PORT=${gatewayPort} PUBLIC_URL=${gatewayUrl} MICROSOFT_CLIENT_ID=${demoApp.clientId} MICROSOFT_CLIENT_SECRET=${demoApp.clientSecret} \\
  MICROSOFT_REDIRECT_URI=${redirectUri} CHANNELS=main \\
  MICROSOFT_AUTHORITY_HOST=${sandbox.authorityHost} MICROSOFT_GRAPH_BASE_URL=${sandbox.graphBaseUrl} MICROSOFT_CA_FILE=${caFile} npm start`);
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
