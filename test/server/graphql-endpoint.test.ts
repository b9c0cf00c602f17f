// /graphql on node:http: body rules, request ids on answers and in masked errors, and the paths it owns.
import http from 'node:http';
import { Writable } from 'node:stream';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import pino from 'pino';
import { createHttpServer, type GatewayHttpServer } from '../../src/server/http-server';
import { isGraphQLPath } from '../../src/server/graphql-endpoint';
import type { RequestContext } from '../../src/graphql/context';

const SECRET = 'secret-from-a-failing-dependency';
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      hello: { type: GraphQLString, resolve: () => 'world' },
      broken: { type: GraphQLString, resolve: () => { throw new Error(`connection refused: ${SECRET}`); } },
    },
  }),
});

let server: GatewayHttpServer | undefined;
let url = '';
let failContext = false;
/** When set, every request's context awaits this one rejection (as requests sharing a failed lookup would). */
let sharedFailure: Promise<never> | undefined;
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({ write(chunk, _encoding, done) { logLines.push(String(chunk)); done(); } });
  const logger = pino({ level: 'debug' }, sink);
  server = await createHttpServer({
    schema,
    logger,
    isProduction: true,
    routes: [],
    // A plugin failing after execution: Apollo formats that error outside the request pipeline.
    plugins: [{
      async requestDidStart() {
        return {
          async willSendResponse({ request }) {
            if (request.http?.headers.get('x-break-plugin')) throw new Error(`plugin failed: ${SECRET}`);
          },
        };
      },
    }],
    createContext: async (_request, requestId) => {
      if (failContext) throw new Error(`database unreachable: ${SECRET}`);
      if (sharedFailure) await sharedFailure;
      return { requestId, hasBearerToken: false, clientAddress: '127.0.0.1', logger } as RequestContext;
    },
  });
  url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
});

afterAll(async () => {
  await server?.close();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('the /graphql endpoint', () => {
  it('answers a query and echoes a safe x-request-id', async () => {
    const response = await post(JSON.stringify({ query: '{ hello }' }), { 'x-request-id': 'caller-42' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('caller-42');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ data: { hello: 'world' } });
  });

  it('quotes the request id in a masked resolver error, and never the error message', async () => {
    const response = await post(JSON.stringify({ query: '{ broken }' }), { 'x-request-id': 'caller-43' });
    const text = await response.text();
    expect(JSON.parse(text).errors[0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'caller-43' });
    expect(text).not.toContain(SECRET);
    const logged = logLines.join('');
    expect(logged).toContain('"requestId":"caller-43"');
    expect(logged).not.toContain(SECRET);
  });

  it('quotes the request id when building the context fails', async () => {
    failContext = true;
    try {
      const response = await post(JSON.stringify({ query: '{ hello }' }), { 'x-request-id': 'caller-44' });
      const text = await response.text();
      expect(JSON.parse(text).errors[0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'caller-44' });
      expect(text).not.toContain(SECRET);
    } finally {
      failContext = false;
    }
  });

  it('quotes each request\'s own id when concurrent requests fail on one shared rejection', async () => {
    sharedFailure = Promise.reject(new Error(`pool exhausted: ${SECRET}`));
    sharedFailure.catch(() => undefined);
    try {
      const ids = Array.from({ length: 20 }, (_, index) => `caller-shared-${index}`);
      const answers = await Promise.all(ids.map((id) => post(JSON.stringify({ query: '{ hello }' }), { 'x-request-id': id }).then((response) => response.json())));
      expect(answers.map((answer) => answer.errors[0].extensions.requestId)).toEqual(ids);
    } finally {
      sharedFailure = undefined;
    }
  });

  it('quotes the request id when an error is formatted outside the request pipeline, and logs no error message', async () => {
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const response = await post(JSON.stringify({ query: '{ hello }' }), { 'x-request-id': 'caller-45', 'x-break-plugin': 'yes' });
      expect(response.status).toBe(500);
      const text = await response.text();
      const [error] = JSON.parse(text).errors;
      expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'caller-45' });
      expect(error.message).toContain('caller-45');
      expect(text).not.toContain(SECRET);
      const logged = logLines.join('');
      expect(logged).toContain('"requestId":"caller-45"');
      expect(logged).toContain('Unexpected error processing request');
      expect(logged).not.toContain(SECRET);
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
    }
  });

  it('reads a JSON body that starts with a byte-order mark, as body-parser did', async () => {
    const response = await post(`\uFEFF${JSON.stringify({ query: '{ hello }' })}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { hello: 'world' } });
  });

  it('treats an empty Content-Encoding as no encoding', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = JSON.stringify({ query: '{ hello }' });
      const request = http.request(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': '', 'content-length': Buffer.byteLength(body) } }, (response) => {
        let text = '';
        response.on('data', (chunk) => { text += chunk; });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      request.on('error', reject);
      request.end(body);
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { hello: 'world' } });
  });

  it('serves GET queries', async () => {
    const response = await fetch(`${url}/graphql?query=${encodeURIComponent('{ hello }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(await response.json()).toEqual({ data: { hello: 'world' } });
  });

  it.each([
    ['a JSON string instead of an object', '"{ hello }"', {}, 400, 'The request body is not valid JSON.'],
    ['truncated JSON', '{"query": ', {}, 400, 'The request body is not valid JSON.'],
    ['a charset other than UTF-8', JSON.stringify({ query: '{ hello }' }), { 'content-type': 'application/json; charset=iso-8859-1' }, 415, 'The request body must be UTF-8 JSON.'],
    ['a compressed body', 'not really gzip', { 'content-encoding': 'gzip' }, 415, 'The request body must not be compressed.'],
  ])('refuses %s', async (_what, body, headers, status, message) => {
    const response = await post(body, headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('refuses a streamed body past 256kb with 413, without a Content-Length to go by', async () => {
    const chunk = new TextEncoder().encode(`{"query":"${'x'.repeat(64 * 1024)}`);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 5; index += 1) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].message).toBe('The request body is larger than 256kb.');
  });

  it('treats an empty JSON body as an empty request', async () => {
    const response = await post('');
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('isGraphQLPath', () => {
  it.each([['/graphql', true], ['/graphql?query=x', true], ['/graphql/', false], ['/GraphQL', false], ['/graphql/?a=1', false], ['/graphqlx', false], ['/graphql/other', false], ['/healthz', false], [undefined, false]])(
    '%s → %s', (path, expected) => expect(isGraphQLPath(path)).toBe(expected),
  );
});
