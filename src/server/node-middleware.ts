// Plain node:http middleware run in front of the /graphql fast path (CORS, the IDE page), outside express.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeRequestHandler } from './graphql-endpoint';

/** Answers the request itself, or calls next() to pass it on; a middleware handles its own failures. */
export type NodeMiddleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/** The handler with the middlewares run before it in order; with none, the handler itself (no cost per request). */
export function withMiddlewares(middlewares: readonly NodeMiddleware[], handler: NodeRequestHandler): NodeRequestHandler {
  if (middlewares.length === 0) return handler;
  return (request, response) => {
    const runFrom = (index: number): void => {
      if (index === middlewares.length) handler(request, response);
      else middlewares[index](request, response, () => runFrom(index + 1));
    };
    runFrom(0);
  };
}
