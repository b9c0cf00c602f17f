// GraphQL subscriptions over graphql-ws on /graphql (ws's server on the gateway's HTTP server), with the HTTP guards.
// https://www.apollographql.com/docs/apollo-server/data/subscriptions
import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { errors } from '../errors/gateway-errors';
import { operationCost } from '../guards/query-cost';
import { breachOf } from '../guards/query-limits';

/** graphql-ws close codes: the client's session is missing, unknown, expired or revoked. */
export const CLOSE_UNAUTHENTICATED = 4401;

export interface SocketSession {
  sessionId: string;
  userId: string;
}

export interface GraphQLWebSocketOptions<TContext> {
  httpServer: Server;
  path: string;
  schema: GraphQLSchema;
  validationRules: ValidationRule[];
  refuseQueryText(queryText: string): GraphQLError | undefined;
  maxCost: number;
  /** The session a bearer token names, if live. */
  authenticate(sessionToken: string): Promise<SocketSession | undefined>;
  createContext(session: SocketSession, request: IncomingMessage): TContext;
  /** How often an open socket's session is checked again (sign-out, expiry); 5 s by default. */
  recheckSessionMs?: number;
  /** The gateway's one error formatter: contract errors pass, anything unexpected is masked (as over HTTP). */
  formatError(error: GraphQLError): GraphQLFormattedError;
}

type SocketExtra = {
  socket: WebSocket;
  request: IncomingMessage;
  session?: SocketSession;
};

export function attachGraphQLWebSocket<TContext>(options: GraphQLWebSocketOptions<TContext>): { dispose(): Promise<void> } {
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path });
  const recheckTimers = new Set<NodeJS.Timeout>();
  const cleanup = useServer<Record<string, unknown> | undefined, SocketExtra>({
    schema: options.schema,
    onConnect: async (ctx) => {
      const token = sessionTokenOf(ctx.connectionParams?.authorization);
      const session = token ? await options.authenticate(token) : undefined;
      if (!session) {
        ctx.extra.socket.close(CLOSE_UNAUTHENTICATED, 'Unauthorized');
        return false;
      }
      ctx.extra.session = session;
      // A socket outlives requests: signing out or the session's expiry ends it too.
      const timer = setInterval(() => {
        void options.authenticate(token!).then((current) => current?.sessionId === session.sessionId, () => true).then((isLive) => {
          if (!isLive) ctx.extra.socket.close(CLOSE_UNAUTHENTICATED, 'Unauthorized');
        });
      }, options.recheckSessionMs ?? 5_000);
      timer.unref();
      recheckTimers.add(timer);
      ctx.extra.socket.once('close', () => {
        clearInterval(timer);
        recheckTimers.delete(timer);
      });
      return true;
    },
    onSubscribe: (ctx, _id, payload) => {
      const refused = options.refuseQueryText(payload.query);
      if (refused) return [refused];
      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch (error) {
        return [error as GraphQLError];
      }
      const validationErrors = validate(options.schema, document, [...specifiedRules, ...options.validationRules]);
      if (validationErrors.length > 0) return validationErrors;
      const operation = getOperationAST(document, payload.operationName);
      if (!operation) return [new GraphQLError('Name the operation to run.')];
      const variables = payload.variables ?? {};
      let cost: number | undefined;
      try {
        cost = operationCost(options.schema, document, operation, variables);
      } catch (error) {
        // A directive argument the variables leave null: the caller's input, as over HTTP.
        if (!(error instanceof GraphQLError)) throw error;
        return [errors.badUserInput('variables', error.message)];
      }
      const breach = cost === undefined ? undefined : breachOf('cost', options.maxCost, cost);
      if (breach) return [errors.queryTooComplex(breach.what, breach.limit, breach.actual)];
      return {
        schema: options.schema,
        document,
        operationName: payload.operationName,
        variableValues: variables,
        contextValue: options.createContext(ctx.extra.session!, ctx.extra.request),
      };
    },
    // Every error a socket sends goes through the same formatter as HTTP answers, so nothing unexpected leaks.
    onError: (_ctx, _id, _payload, failures) => failures.map((failure) => options.formatError(failure)),
    onNext: (_ctx, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: result.errors.map((failure) => options.formatError(failure as GraphQLError)) } : undefined,
  }, wsServer);
  return {
    async dispose() {
      for (const timer of recheckTimers) clearInterval(timer);
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

/** "Bearer <token>" or the bare token, as in the Authorization header. */
function sessionTokenOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const token = value.replace(/^Bearer\s+/i, '').trim();
  return token || undefined;
}
