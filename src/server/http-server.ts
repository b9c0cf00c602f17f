// HTTP wiring: express 5 with Apollo Server on /graphql, plus the plain routes (healthz, callback, metrics).
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Router } from 'express';
import type { GraphQLSchema } from 'graphql';
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { createErrorFormatter } from '../errors/format-error';
import type { RequestContext } from '../graphql/context';
import { currentRequestId, requestIdFrom, requestScope } from './request-scope';

export const GRAPHQL_BODY_LIMIT = '256kb';

export interface HttpServerOptions {
  schema: GraphQLSchema;
  logger: Logger;
  isProduction: boolean;
  createContext(request: express.Request): Promise<RequestContext>;
  /** Routes served beside /graphql (healthz, the OAuth callback, metrics). */
  routes: Router[];
  plugins?: ApolloServerPlugin<RequestContext>[];
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
  const httpServer = createServer(app);
  // Keep-alive longer than typical load balancers' idle timeout, so they close first.
  httpServer.keepAliveTimeout = 65_000;

  const formatError = createErrorFormatter(options.logger);
  const apollo = new ApolloServer<RequestContext>({
    schema: options.schema,
    introspection: !options.isProduction,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatError(formatted, error, currentRequestId()),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's default cache-control plugin hooks every field of every answer (about 5% of the CPU of an `events`
      // request) to compute a policy that is always "uncacheable" here: no type carries a cache hint. Off, and the
      // header it sent (no-store) is set by noStorePlugin instead.
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin,
      ...(options.isProduction ? [ApolloServerPluginLandingPageDisabled()] : []),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  app.use((request, response, next) => {
    const requestId = requestIdFrom(request.headers['x-request-id']);
    response.setHeader('x-request-id', requestId);
    requestScope.run({ requestId }, next);
  });
  for (const router of options.routes) app.use(router);
  app.use(
    '/graphql',
    express.json({ limit: GRAPHQL_BODY_LIMIT }),
    expressMiddleware(apollo, { context: ({ req }) => options.createContext(req) }),
  );
  app.use(bodyErrorHandler(options.logger));
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

/** Every GraphQL answer is private to its caller: never stored by a cache on the way. */
const noStorePlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/** Malformed or oversized bodies get a clear 400/413 in GraphQL's error shape, logged without a stack. */
function bodyErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _request, response, next) => {
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (status >= 500 || response.headersSent) return next(error);
    const message =
      error.type === 'entity.parse.failed'
        ? 'The request body is not valid JSON.'
        : error.type === 'entity.too.large'
          ? `The request body is larger than ${GRAPHQL_BODY_LIMIT}.`
          : 'The request could not be read.';
    logger.info({ requestId: currentRequestId(), status, reason: error.type }, 'rejected request body');
    response.status(status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
  };
}

/**
 * Whatever else fails outside GraphQL (a route, a body parser's 5xx): express's default handler would print the stack
 * (outside NODE_ENV=production) and log with console.error. Logged through pino by type only: a message may echo input.
 */
function finalErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, request, response, _next) => {
    const requestId = currentRequestId();
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
