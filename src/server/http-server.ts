// HTTP wiring: Apollo Server on /graphql straight on node:http, and express 5 for the plain routes (healthz, callback, metrics).
import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express, { type ErrorRequestHandler, type Router } from 'express';
import type { GraphQLError, GraphQLSchema, ValidationRule } from 'graphql';
import type { IncomingMessage, Server } from 'node:http';
import type { Logger } from 'pino';
import { tagWithRequestId, requestIdOfError } from '../errors/error-request-ids';
import { createErrorFormatter } from '../errors/format-error';
import type { RequestContext } from '../graphql/context';
import { createGraphQLEndpoint, isGraphQLPath } from './graphql-endpoint';
import { createLimitedServer, DEFAULT_HTTP_LIMITS, type HttpLimits } from './http-limits';
import { withMiddlewares, type NodeMiddleware } from './node-middleware';
import { requestIdFrom, requestIdOf } from './request-id';

export interface HttpServerOptions {
  schema: GraphQLSchema;
  logger: Logger;
  isProduction: boolean;
  createContext(request: IncomingMessage, requestId: string): Promise<RequestContext>;
  /** Routes served beside /graphql (healthz, the OAuth callback, metrics). */
  routes: Router[];
  plugins?: ApolloServerPlugin<RequestContext>[];
  /** Timeouts for slow senders and the connection cap (HTTP_*_TIMEOUT_SECONDS, MAX_CONNECTIONS). */
  limits?: HttpLimits;
  /** Run beside graphql-js's own validation rules (the depth and alias limits). */
  validationRules?: ValidationRule[];
  /** Refuses a query text before it is parsed (the size and token limits). */
  refuseQueryText?(queryText: string): GraphQLError | undefined;
  /** Run in front of /graphql on node:http, in order (CORS, the IDE page). */
  graphqlMiddlewares?: NodeMiddleware[];
  /** Serves WebSockets on the same HTTP server (GraphQL subscriptions); disposed when Apollo drains. */
  webSockets?(httpServer: Server): { dispose(): Promise<void> };
}

export interface GatewayHttpServer {
  httpServer: Server;
  apollo: ApolloServer<RequestContext>;
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export async function createHttpServer(options: HttpServerOptions): Promise<GatewayHttpServer> {
  const app = express();
  app.disable('x-powered-by');
  // GraphQL answers are POST responses nobody revalidates: an ETag per response is hashing for nothing.
  app.set('etag', false);
  app.set('trust proxy', false);
  let graphqlEndpoint: ReturnType<typeof createGraphQLEndpoint> | undefined;
  const httpServer = createLimitedServer(options.limits ?? DEFAULT_HTTP_LIMITS, (request, response) => {
    if (graphqlEndpoint && isGraphQLPath(request.url)) graphqlEndpoint(request, response);
    else app(request, response);
  });

  // With introspection off, "Did you mean …" would still map the schema field by field.
  const webSockets = options.webSockets?.(httpServer);
  const formatError = createErrorFormatter(options.logger, { hideSuggestions: options.isProduction });
  const apollo = new ApolloServer<RequestContext>({
    schema: options.schema,
    logger: apolloLogger(options.logger),
    introspection: !options.isProduction,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    validationRules: options.validationRules,
    // Automatic persisted queries would let any caller write query texts into a shared cache, for answers that are
    // private and never cached: a request carrying one gets PERSISTED_QUERY_NOT_SUPPORTED, and clients resend the text.
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    // The process's owner stops the server (src/main.ts on SIGTERM and SIGINT, through close() below). Apollo's own
    // handlers would start a second stop() beside it, and a concurrent stop() can wait forever on Apollo's barrier:
    // `npm start` then never exited.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => formatError(formatted, error, requestIdOfError(error)),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's documented pattern: the WebSocket server closes its sockets when the HTTP server drains.
      ...(webSockets ? [{ serverWillStart: async () => ({ drainServer: () => webSockets.dispose() }) }] : []),
      // Apollo's default cache-control plugin hooks every field of every answer (its cost: docs/performance.md) to
      // compute a policy that is always "uncacheable" here: no type carries a cache hint. Off, and the header it sent
      // (no-store) is set by noStorePlugin instead.
      ApolloServerPluginCacheControlDisabled(),
      noStoreAndRequestIdPlugin,
      ...(options.isProduction ? [ApolloServerPluginLandingPageDisabled()] : []),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  graphqlEndpoint = withMiddlewares(
    options.graphqlMiddlewares ?? [],
    createGraphQLEndpoint({ apollo, logger: options.logger, createContext: options.createContext, refuseQueryText: options.refuseQueryText }),
  );
  app.use((request, response, next) => {
    const requestId = requestIdFrom(request.headers['x-request-id']);
    response.setHeader('x-request-id', requestId);
    response.locals.requestId = requestId;
    next();
  });
  for (const router of options.routes) app.use(router);
  app.use(finalErrorHandler(options.logger));

  return {
    httpServer,
    apollo,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    async close() {
      // Apollo's drain plugin stops accepting and waits for in-flight requests.
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeAllConnections();
    },
  };
}

/**
 * Apollo Server's own log lines (console by default) through pino, with only their fixed lead: Apollo appends error
 * messages ("Unexpected error processing request: Error: …"), and a message may echo input or upstream data.
 */
function apolloLogger(logger: Logger): NonNullable<ApolloServerOptions<RequestContext>['logger']> {
  const lead = (message: unknown) => String(message).split(':')[0].slice(0, 120);
  return {
    debug: (message) => logger.debug({ source: 'apollo' }, lead(message)),
    info: (message) => logger.info({ source: 'apollo' }, lead(message)),
    warn: (message) => logger.warn({ source: 'apollo' }, lead(message)),
    error: (message) => logger.error({ source: 'apollo' }, lead(message)),
  };
}

/**
 * Every GraphQL answer is private to its caller: never stored by a cache on the way. Errors are tagged with their
 * request's id here, so that the formatter that masks them can quote it (Apollo gives formatError no context).
 */
const noStoreAndRequestIdPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue }) {
        for (const error of errors) tagWithRequestId(error, contextValue.requestId);
      },
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/**
 * Whatever fails in a plain route: express's default handler would print the stack
 * (outside NODE_ENV=production) and log with console.error. Logged through pino by type only: a message may echo input.
 */
function finalErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, request, response, _next) => {
    const requestId = requestIdOf(response);
    logger.error({ requestId, err: { type: (error as Error)?.name ?? typeof error }, path: request.path }, 'unexpected failure outside GraphQL');
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response
      .status(500)
      .set('Cache-Control', 'no-store')
      .json({ errors: [{ message: 'Something went wrong on our side; try again.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
  };
}
