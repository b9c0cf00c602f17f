// The composition root: builds the database, repositories, services, resolvers and HTTP server from one configuration.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config/config.types';
import { openDatabase, type OpenedDatabase } from './db/database';
import { buildGatewaySchema } from './graphql/build-schema';
import { inputPathsRule } from './graphql/input-paths.rule';
import { resolverBindings } from './graphql/resolvers';
import { buildServices, type GatewayServices } from './services';
import { bindingCookieOptions } from './auth/binding-cookie';
import { microsoftCallbackRouter } from './auth/callback.route';
import { signInStartRouter } from './auth/start.route';
import type { RequestContext } from './graphql/context';
import { createGatewayGuards } from './guards/gateway-guards';
import { healthzRouter } from './health/healthz.route';
import { accessLogRouter } from './logging/access-log.route';
import { createLogger } from './logging/logger';
import { operationReportPlugin } from './logging/operation-report.plugin';
import { metricsRouter } from './metrics/metrics.route';
import type { Sandbox } from './sandbox';
import { bearerTokenOf, clientAddressOf } from './server/client-address';
import { createCorsMiddleware } from './server/cors';
import { GRAPHQL_PATH } from './server/graphql-endpoint';
import { createHttpServer } from './server/http-server';
import { createIdeMiddleware, ideAssetsRouter, ideLinkFor, landingPagePlugins } from './server/ide.route';
import { rootRouter } from './server/root.route';
import { registerGatewayWithSandbox, sandboxStateFileFor } from './server/sandbox-mode';
import type { ScaleOut } from './scale/scale-out';
import { notificationsRouter } from './live/notifications.route';
import type { SubscriptionContext } from './live/live-calendar.resolver';
import { createErrorFormatter } from './errors/format-error';
import { attachGraphQLWebSocket } from './server/graphql-websocket';
import { DEFAULT_QUERY_LIMITS } from './guards/query-limits';

export interface GatewayOptions {
  logger?: Logger;
  /** A sandbox the caller already started (tests); otherwise one is started when the configuration asks for it. */
  sandbox?: Sandbox;
  /** The clock of credential expiry and connection lifecycles (tests move it instead of waiting); Date.now by default. */
  now?: () => number;
  /**
   * Whether the refresh sweep and webhook delivery run on their timers (default true). Tests turn them off and call
   * their runOnce() themselves.
   */
  runsBackgroundJobs?: boolean;
}

export interface Gateway {
  url: string;
  port: number;
  config: GatewayConfig;
  database: OpenedDatabase;
  logger: Logger;
  sandbox?: Sandbox;
  services: GatewayServices;
  close(): Promise<void>;
}

export async function startGateway(initialConfig: GatewayConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const logger = options.logger ?? createLogger(initialConfig.logLevel);
  const ownedSandbox = !options.sandbox && initialConfig.useSandbox ? await startOwnSandbox(initialConfig) : undefined;
  const sandbox = options.sandbox ?? ownedSandbox;
  const config = sandbox ? registerGatewayWithSandbox(initialConfig, sandbox) : initialConfig;
  const cleanups: Array<() => Promise<void> | void> = [() => ownedSandbox?.close()];
  let database: OpenedDatabase;
  try {
    database = await openDatabase(config.databaseUrl, {
      onPoolError: (error) => logger.warn({ err: { type: error.name, code: (error as { code?: string }).code } }, 'a pooled database connection failed'),
    });
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
  cleanups.unshift(() => database.close());
  try {
    const scaleOut = await openScaleOut(config, logger);
    // Closed after everything that uses it (cleanups run from the front).
    cleanups.unshift(() => scaleOut?.close());
    // Until the server listens, PUBLIC_URL as configured; a test's PORT=0 then learns its real port.
    let publicUrl = config.publicUrl;
    const services = await buildServices(config, database, logger, {
      authorityMetadata: sandbox ? (tenant) => sandbox.authorityMetadata(tenant) : undefined,
      scaleOut,
      publicUrl: () => publicUrl,
      now: options.now,
    });
    cleanups.unshift(() => services.sessions.stop());
    cleanups.unshift(() => services.housekeeping.stop());
    cleanups.unshift(() => services.tokenService.stop());
    cleanups.unshift(() => services.graph.close());
    cleanups.unshift(() => services.msalClients.close());
    cleanups.unshift(() => services.live.stop());
    // Stopped first (cleanups run from the front): a run in progress finishes before the clients and the database close.
    cleanups.unshift(() => services.webhookDelivery.stop());
    cleanups.unshift(() => services.refreshSweep.stop());
    const guards = createGatewayGuards(config, services.metrics, scaleOut?.redis);
    const schema = guards.enforce(guards.applyRateLimits(buildGatewaySchema(resolverBindings(services), config)));
    const cookieOptions = bindingCookieOptions(config.publicUrl);
    // The same rules over HTTP and WebSocket.
    const validationRules = [...guards.validationRules, inputPathsRule];
    const socketErrorFormatter = createErrorFormatter(logger, { hideSuggestions: config.isProduction });
    const server = await createHttpServer({
      schema,
      logger,
      isProduction: config.isProduction,
      limits: config.httpLimits,
      routes: [
        accessLogRouter(logger),
        healthzRouter(services.health),
        metricsRouter(services.metrics, { token: config.metricsToken, isProduction: config.isProduction }),
        signInStartRouter(services.browserBinding, cookieOptions, logger),
        microsoftCallbackRouter({
          signIn: services.signIn,
          accounts: services.accounts,
          cookieOptions,
          rateLimit: guards.routeLimit('microsoftCallback'),
          logger,
          ideUrl: ideLinkFor(config.graphqlIde, config.isProduction, GRAPHQL_PATH),
        }),
        notificationsRouter({ live: services.live.service, rateLimit: guards.routeLimit('microsoftNotifications'), logger }),
        rootRouter(config.isProduction, GRAPHQL_PATH),
        ideAssetsRouter(config.graphqlIde, config.isProduction),
      ],
      graphqlMiddlewares: [
        createCorsMiddleware({ origins: config.corsOrigins, allowsLoopbackOrigins: config.useSandbox }),
        createIdeMiddleware(config.graphqlIde, config.isProduction, GRAPHQL_PATH),
      ].filter((middleware) => middleware !== undefined),
      plugins: [...guards.plugins, operationReportPlugin(logger, services.metrics), ...landingPagePlugins<RequestContext>(config.graphqlIde, config.isProduction)],
      validationRules,
      refuseQueryText: guards.refuseQueryText,
      webSockets: (httpServer) => attachGraphQLWebSocket<SubscriptionContext>({
        httpServer,
        path: GRAPHQL_PATH,
        schema,
        validationRules,
        refuseQueryText: guards.refuseQueryText,
        maxCost: DEFAULT_QUERY_LIMITS.maxCost,
        formatError: (error) => socketErrorFormatter(error.toJSON(), error),
        authenticate: async (token) => {
          const session = await services.sessions.authenticate(token);
          return session && { sessionId: session.id, userId: session.userId };
        },
        createContext: (session, request) => ({
          requestId: randomUUID(),
          session,
          hasBearerToken: true,
          clientAddress: clientAddressOf(request, config.trustProxy),
          logger,
          channels: services.channels,
          live: services.live.service,
        }),
      }),
      createContext: async (request, requestId): Promise<RequestContext> => {
        const bearerToken = bearerTokenOf(request);
        const session = bearerToken ? await services.sessions.authenticate(bearerToken) : undefined;
        const adminHeader = request.headers['x-admin-token'];
        return {
          requestId,
          session: session && { sessionId: session.id, userId: session.userId },
          hasBearerToken: Boolean(bearerToken),
          clientAddress: clientAddressOf(request, config.trustProxy),
          adminToken: Array.isArray(adminHeader) ? adminHeader[0] : adminHeader,
          logger,
          channels: services.channels,
        };
      },
    });
    cleanups.unshift(() => server.close());
    // Subscribed before the first request: a revocation published from now on reaches this instance.
    await scaleOut?.start();
    await services.live.start();
    const port = await server.listen(config.port, config.host);
    services.housekeeping.start();
    // Said at start as well as in health: an expiring credential stops every sign-in and refresh of its channel.
    for (const warning of services.health.credentialWarnings()) {
      logger.warn({ channel: warning.channel, credential: warning.credential, expiresAt: warning.expiresAt.toISOString() }, warning.message);
    }
    if (options.runsBackgroundJobs !== false) {
      services.refreshSweep.start();
      services.webhookDelivery.start();
    }
    publicUrl = withBoundPort(config.publicUrl, port);
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    return { url, port, config, database, logger, sandbox, services, close: () => runCleanups(cleanups) };
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
}

/** Loaded only when asked for: a deployment never starts the sandbox, and its code and certificates cost ~25 MB of memory. */
async function startOwnSandbox(config: GatewayConfig): Promise<Sandbox> {
  const { startSandbox } = await import('./sandbox');
  return startSandbox({ quiet: true, stateFile: sandboxStateFileFor(config.databaseUrl) });
}

/** Loaded only with REDIS_URL: a single instance does not need the Redis client, which would lengthen every start-up. */
async function openScaleOut(config: GatewayConfig, logger: Logger): Promise<ScaleOut | undefined> {
  if (!config.redisUrl) return undefined;
  const { createScaleOut } = await import('./scale/scale-out');
  return createScaleOut(config, logger);
}

/** PUBLIC_URL naming port 0 (the default with PORT=0) means "the port we got": tests and ad-hoc runs. */
function withBoundPort(publicUrl: string, port: number): string {
  const url = new URL(publicUrl);
  if (url.port !== '0') return publicUrl;
  url.port = String(port);
  return url.toString().replace(/\/+$/, '');
}

async function runCleanups(cleanups: Array<() => Promise<void> | void>): Promise<void> {
  for (const cleanup of cleanups.splice(0)) {
    try {
      await cleanup();
    } catch {
      // Shutdown goes on: one failing step must not keep the others from running.
    }
  }
}
