// Runs the Microsoft sandbox on its own (`npm run sandbox`) with a demo app registration, printing its URLs and CA file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SANDBOX_TENANT_ID, startSandbox } from './index';

const DEMO_APP = {
  clientId: 'sandbox-main-client',
  clientSecret: 'sandbox-secret',
  redirectUris: ['http://localhost:4000/auth/microsoft/callback'],
};

function portFrom(value: string | undefined, fallback: number): number {
  const port = value === undefined || value === '' ? fallback : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Not a port number: ${value}`);
  return port;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({
    host: process.env.SANDBOX_HOST || '127.0.0.1',
    port: portFrom(process.env.SANDBOX_PORT, 4443),
    browserPort: portFrom(process.env.SANDBOX_BROWSER_PORT, 4080),
    apps: [DEMO_APP],
  });
  const caFile = path.resolve(process.env.SANDBOX_CA_FILE || 'data/sandbox-ca.pem');
  mkdirSync(path.dirname(caFile), { recursive: true });
  writeFileSync(caFile, sandbox.caCertificatePem);
  console.log(`Microsoft sandbox running.
  Identity platform (HTTPS): ${sandbox.authorityHost}/common/v2.0/.well-known/openid-configuration
  Graph (HTTPS):             ${sandbox.graphBaseUrl}/v1.0/me
  Sign-in page (HTTP):       ${sandbox.browserBaseUrl}/common/oauth2/v2.0/authorize
  Control:                   ${sandbox.authorityHost}/_sandbox/counters
  CA certificate:            ${caFile}
  Tenant id:                 ${SANDBOX_TENANT_ID}
  Demo app:                  client id ${DEMO_APP.clientId}, secret ${DEMO_APP.clientSecret}, redirect ${DEMO_APP.redirectUris[0]}
  Users:                     ${sandbox.users.map((user) => user.email).join(', ')}
Start the gateway against it (the demo app's redirect URI names port 4000):
  PORT=4000 MICROSOFT_CLIENT_ID=${DEMO_APP.clientId} MICROSOFT_CLIENT_SECRET=${DEMO_APP.clientSecret} \\
  MICROSOFT_REDIRECT_URI=${DEMO_APP.redirectUris[0]} CHANNELS=main \\
  MICROSOFT_AUTHORITY_HOST=${sandbox.authorityHost} MICROSOFT_GRAPH_BASE_URL=${sandbox.graphBaseUrl} MICROSOFT_CA_FILE=${caFile} npm start`);
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
