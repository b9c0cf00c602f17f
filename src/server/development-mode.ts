// What development mode turns on when a real Microsoft app is configured: said loudly at start, so no deployment runs it unawares.
import type { GatewayConfig } from '../config/config.types';

/** What NODE_ENV=production would turn off here, or undefined when there is nothing to warn about. */
export function developmentModeRisks(config: GatewayConfig): string[] | undefined {
  // The sandbox is development by design (and has its own banner); production turns all of this off.
  if (config.isProduction || config.useSandbox) return undefined;
  return [
    'GraphQL introspection is on: anyone who reaches the gateway can read its whole schema',
    'the Apollo Sandbox landing page is served on /graphql',
    ...(config.secretKeyFile ? [`SECRET_KEY is not set: the root secret is a key generated into ${config.secretKeyFile}, beside the data`] : []),
    ...(['0.0.0.0', '::'].includes(config.host) ? [`it listens on every network interface (${config.host})`] : []),
  ];
}

/** The plain block `npm start` writes to stderr, like the sandbox banner. */
export function developmentModeBanner(config: GatewayConfig, risks: string[]): string {
  return [
    '',
    `  WARNING: development mode (NODE_ENV=${config.nodeEnv}) with a real Microsoft app (MICROSOFT_CLIENT_ID is set):`,
    ...risks.map((risk) => `    - ${risk}`),
    '  For a deployment set NODE_ENV=production (it requires SECRET_KEY and turns these off); see docs/operations.md.',
    '',
  ].join('\n') + '\n';
}
