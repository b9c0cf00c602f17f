// /graphql on node:http: reads the JSON body and hands the request to Apollo Server's own HTTP entry point.
// Express's router and body parser cost more CPU than Apollo itself for a small query, so /graphql skips them;
// the plain routes (healthz, callback, metrics) stay on express.
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { tagWithRequestId } from '../errors/error-request-ids';
import { stampRequestId } from '../errors/format-error';
import { requestIdFrom } from './request-id';

export const GRAPHQL_PATH = '/graphql';
export const GRAPHQL_BODY_LIMIT_BYTES = 256 * 1024;

export interface GraphQLEndpointOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  logger: Logger;
  createContext(request: IncomingMessage, requestId: string): Promise<TContext>;
  /** Refuses a query text before Apollo parses it (400 with the returned error), or lets it through. */
  refuseQueryText?(queryText: string): GraphQLError | undefined;
}

export type NodeRequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * True for exactly /graphql, with or without a query string: like the plain routes, no other case or trailing slash,
 * so a proxy rule written for /graphql covers every way in.
 */
export function isGraphQLPath(url: string | undefined): boolean {
  if (!url?.startsWith(GRAPHQL_PATH)) return false;
  const rest = url.slice(GRAPHQL_PATH.length);
  return rest === '' || rest.startsWith('?');
}

/** A body the endpoint refuses before GraphQL sees it: a 4xx in GraphQL's error shape. */
class BodyRejection extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
  }
}

export function createGraphQLEndpoint<TContext extends BaseContext>(options: GraphQLEndpointOptions<TContext>): NodeRequestHandler {
  const { apollo, logger } = options;
  return (request, response) => {
    const requestId = requestIdFrom(request.headers['x-request-id']);
    response.setHeader('x-request-id', requestId);
    readJsonBody(request).then(
      async (body) => {
        const queryText = queryTextOf(request.method, body, request.url);
        const refusal = queryText === undefined ? undefined : options.refuseQueryText?.(queryText);
        if (refusal) {
          logger.info({ requestId, code: refusal.extensions.code }, 'refused query text');
          sendErrors(response, 400, { message: refusal.message, extensions: refusal.extensions });
          return;
        }
        const answer = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: request.method?.toUpperCase() ?? 'GET', headers: headerMapOf(request), search: searchOf(request.url), body },
          // Wrapped per request: one rejection shared by concurrent requests must not carry the last one's id.
          context: () => options.createContext(request, requestId).catch((error: unknown) => {
            const originalError = error instanceof Error ? error : undefined;
            const extensions = error instanceof GraphQLError ? error.extensions : undefined;
            throw tagWithRequestId(new GraphQLError('Context creation failed', { originalError, extensions }), requestId);
          }),
        });
        for (const [name, value] of answer.headers) response.setHeader(name, value);
        response.statusCode = answer.status ?? 200;
        if (answer.body.kind === 'complete') {
          response.end(response.statusCode >= 500 ? withRequestId(answer.body.string, requestId, logger) : answer.body.string);
          return;
        }
        for await (const chunk of answer.body.asyncIterator) response.write(chunk);
        response.end();
      },
      (error: unknown) => {
        if (!(error instanceof BodyRejection)) throw error;
        logger.info({ requestId, status: error.status, reason: error.reason }, 'rejected request body');
        sendErrors(response, error.status, { message: error.message, extensions: { code: 'BAD_REQUEST' } });
      },
    ).catch((error: unknown) => {
      logger.error({ requestId, err: { type: (error as Error)?.name ?? typeof error }, path: GRAPHQL_PATH }, 'unexpected failure outside GraphQL');
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendErrors(response, 500, { message: 'Something went wrong on our side; try again.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } });
    });
  };
}

/**
 * The parsed body of a JSON request (an object or array, as body-parser's strict mode), {} for an empty one, and
 * undefined for other content types (Apollo then answers 400, or its CSRF refusal). Bodies are never decompressed.
 */
async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const [mediaType, ...parameters] = (request.headers['content-type'] ?? '').split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') {
    request.resume();
    return undefined;
  }
  const charset = parameters.map((parameter) => parameter.trim().toLowerCase()).find((parameter) => parameter.startsWith('charset='));
  if (charset && !/^charset="?utf-8"?$/.test(charset)) {
    request.resume();
    throw new BodyRejection(415, 'charset.unsupported', 'The request body must be UTF-8 JSON.');
  }
  const encoding = (request.headers['content-encoding'] || 'identity').toLowerCase();
  if (encoding !== 'identity') {
    request.resume();
    throw new BodyRejection(415, 'encoding.unsupported', 'The request body must not be compressed.');
  }
  // A byte-order mark is not JSON; body-parser's decoder dropped it, and Windows clients send one.
  const text = (await readText(request)).replace(/^\uFEFF/, '');
  if (text.trim() === '') return {};
  const first = text.trimStart()[0];
  try {
    if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
    return JSON.parse(text);
  } catch {
    throw new BodyRejection(400, 'entity.parse.failed', 'The request body is not valid JSON.');
  }
}

function readText(request: IncomingMessage): Promise<string> {
  const declaredLength = Number(request.headers['content-length']);
  if (declaredLength > GRAPHQL_BODY_LIMIT_BYTES) {
    request.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > GRAPHQL_BODY_LIMIT_BYTES) {
        cleanUp();
        request.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    };
    const onError = () => {
      cleanUp();
      reject(new BodyRejection(400, 'request.aborted', 'The request could not be read.'));
    };
    const cleanUp = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

function tooLarge(): BodyRejection {
  return new BodyRejection(413, 'entity.too.large', `The request body is larger than ${GRAPHQL_BODY_LIMIT_BYTES / 1024}kb.`);
}

/** A 5xx answer's masked errors quote the request id even when Apollo formatted them outside the request pipeline. */
function withRequestId(body: string, requestId: string, logger: Logger): string {
  try {
    const parsed = JSON.parse(body) as { errors?: GraphQLFormattedError[] };
    const stamped = parsed.errors && stampRequestId(parsed.errors, requestId);
    if (!stamped) return body;
    logger.error({ requestId }, 'a request failed outside the GraphQL pipeline; its masked error now quotes this request id');
    return JSON.stringify({ ...parsed, errors: stamped });
  } catch {
    return body;
  }
}

/** The `query` of a GET's search or of a JSON body, as Apollo will read it. */
function queryTextOf(method: string | undefined, body: unknown, url: string | undefined): string | undefined {
  const query = method === 'GET' ? new URLSearchParams(searchOf(url)).get('query') : (body as { query?: unknown } | undefined)?.query;
  return typeof query === 'string' ? query : undefined;
}

function headerMapOf(request: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

function searchOf(url: string | undefined): string {
  const index = url?.indexOf('?') ?? -1;
  return index >= 0 ? url!.slice(index) : '';
}

function sendErrors(response: ServerResponse, status: number, error: Record<string, unknown>): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('cache-control', 'no-store');
  response.end(JSON.stringify({ errors: [error] }));
}
