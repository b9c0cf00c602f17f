// Entry point: reads the configuration, starts the gateway (and the sandbox when no Microsoft app is set), stops gracefully.
import 'reflect-metadata';
import { startGateway } from './app';
import { ConfigError, loadConfig } from './config/load-config';
import { describeDatabaseError } from './db/database-errors';
import { createLogger, flushLogger } from './logging/logger';

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
  const logger = createLogger(config.logLevel);
  const gateway = await startGateway(config, { logger });
  const graphqlUrl = `${gateway.config.publicUrl}/graphql`;
  logger.info({ url: graphqlUrl, sandbox: gateway.config.useSandbox }, 'gateway listening');
  if (gateway.sandbox) {
    process.stdout.write(
      [
        '',
        `  GraphQL:          ${graphqlUrl}`,
        `  Sign in:          mutation { startMicrosoftSignIn { authorizationUrl } }, then open authorizationUrl`,
        `                    (the sandbox's sign-in page at ${gateway.sandbox.browserBaseUrl}); see docs/authentication.md`,
        `  Demo users:       ${gateway.sandbox.users.map((user) => user.email).join(', ')}`,
        '  Running against the built-in Microsoft sandbox: no real Microsoft account is used.',
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

main().catch((error: unknown) => {
  // describeDatabaseError: a failing migration's message would carry its statement and parameters.
  process.stderr.write(`The gateway could not start: ${describeDatabaseError(error)}\n`);
  process.exit(1);
});
