// Entry point: reads the configuration, starts the gateway (and the sandbox when no Microsoft app is set), stops gracefully.
import 'reflect-metadata';
import { startGateway } from './app';
import { MICROSOFT_AUTHORITY_HOST, MICROSOFT_GRAPH_BASE_URL } from './config/config.schema';
import type { GatewayConfig } from './config/config.types';
import { ConfigError, loadConfig } from './config/load-config';
import { describeDatabaseError } from './db/database-errors';
import { chooseLogFormat, createLogger, flushLogger } from './logging/logger';
import { developmentModeBanner, developmentModeRisks } from './server/development-mode';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, undefined, chooseLogFormat({ nodeEnv: config.nodeEnv, isTerminal: Boolean(process.stdout.isTTY) }));
  const gateway = await startGateway(config, { logger }).catch((error: unknown) => {
    // RATE_LIMITS names are checked against the limits the schema's fields declare, which exist only from here on.
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(1);
  });
  const graphqlUrl = `${gateway.config.publicUrl}/graphql`;
  logger.info({ url: graphqlUrl, sandbox: gateway.config.useSandbox }, 'gateway listening');
  const developmentRisks = developmentModeRisks(gateway.config);
  if (developmentRisks) {
    logger.warn({ nodeEnv: gateway.config.nodeEnv, risks: developmentRisks }, 'development mode with a real Microsoft app: set NODE_ENV=production for a deployment');
    process.stderr.write(developmentModeBanner(gateway.config, developmentRisks));
  }
  if (gateway.sandbox) {
    process.stdout.write(
      [
        '',
        `  GraphQL:          ${graphqlUrl}`,
        `  Sign in:          mutation { startMicrosoftSignIn { authorizationUrl } }, then open authorizationUrl`,
        `                    (the sandbox's sign-in page at ${gateway.sandbox.browserBaseUrl}); see docs/authentication.md`,
        `  Demo users:       ${gateway.sandbox.users.map((user) => user.email).join(', ')}`,
        `  Browser apps:     pages on http://localhost:* and http://127.0.0.1:* may call /graphql (CORS), besides CORS_ORIGINS`,
        '  Running against the built-in Microsoft sandbox: no real Microsoft account is used.',
        ...ignoredMicrosoftHosts(config),
        '',
      ].join('\n') + '\n',
    );
  }

  let isStopping = false;
  const stop = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    gateway.close().then(
      () => {
        flushLogger(logger);
        process.exit(0);
      },
      () => {
        flushLogger(logger);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** MICROSOFT_AUTHORITY_HOST and MICROSOFT_GRAPH_BASE_URL name another Microsoft (e.g. `npm run sandbox`) only with an app. */
function ignoredMicrosoftHosts(config: GatewayConfig): string[] {
  if (config.authorityHost === MICROSOFT_AUTHORITY_HOST && config.graphBaseUrl === MICROSOFT_GRAPH_BASE_URL) return [];
  return [
    `  Note: MICROSOFT_AUTHORITY_HOST / MICROSOFT_GRAPH_BASE_URL are ignored without MICROSOFT_CLIENT_ID. To use`,
    `        another sandbox or Microsoft, also set MICROSOFT_CLIENT_ID, MICROSOFT_CLIENT_SECRET and MICROSOFT_REDIRECT_URI.`,
  ];
}

main().catch((error: unknown) => {
  // describeDatabaseError: a failing migration's message would carry its statement and parameters.
  process.stderr.write(`The gateway could not start: ${describeDatabaseError(error)}\n`);
  process.exit(1);
});
