// Failures outside GraphQL (routes, body parsing) answer a masked 500 with a request id and reach pino, never a stack.
import { Writable } from 'node:stream';
import { Router } from 'express';
import pino from 'pino';
import { buildGatewaySchema } from '../../src/graphql/build-schema';
import { schemaOnlyBindings } from '../../src/graphql/resolvers';
import { createHttpServer, type GatewayHttpServer } from '../../src/server/http-server';

const SECRET_IN_MESSAGE = 'code=0.AXEA-secret-authorization-code';
let server: GatewayHttpServer | undefined;
let url = '';
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({ write(chunk, _encoding, done) { logLines.push(String(chunk)); done(); } });
  const failing = Router();
  failing.get('/boom', () => {
    throw new Error(`failed with ${SECRET_IN_MESSAGE}`);
  });
  failing.get('/boom-async', async () => {
    throw new TypeError(`async failure with ${SECRET_IN_MESSAGE}`);
  });
  server = await createHttpServer({
    schema: buildGatewaySchema(schemaOnlyBindings()),
    logger: pino({ level: 'debug' }, sink),
    isProduction: false,
    createContext: async () => ({}) as never,
    routes: [failing],
  });
  url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
});

afterAll(async () => {
  await server?.close();
});

describe('the final error handler', () => {
  it.each(['/boom', '/boom-async'])('answers %s with a masked INTERNAL_SERVER_ERROR and its request id', async (path) => {
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const response = await fetch(`${url}${path}`, { headers: { 'x-request-id': 'req-12345678' } });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-12345678' } }],
      });
      expect(text).not.toContain(SECRET_IN_MESSAGE);
      expect(text).not.toMatch(/at .*\.ts:\d+/);
      expect(consoleError).not.toHaveBeenCalled();
      const logged = logLines.join('');
      expect(logged).toContain('unexpected failure outside GraphQL');
      expect(logged).not.toContain(SECRET_IN_MESSAGE);
    } finally {
      consoleError.mockRestore();
    }
  });
});
