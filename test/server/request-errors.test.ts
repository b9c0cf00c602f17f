// What a malformed request is told, in production and in development: no schema hints where introspection is off, and
// no persisted-query cache that a wrong hash could turn into an internal error.
import { createHash } from 'node:crypto';
import { graphql } from '../support/http';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const PRODUCTION = { NODE_ENV: 'production', TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };
const CHANNEL_QUERY = 'query ($channel: Channel) { microsoftProfile(channel: $channel) { id } }';

async function withGateway(env: Record<string, string>, test: (gateway: StartedGateway) => Promise<void>): Promise<void> {
  const gateway = await startTestGateway(env);
  try {
    await test(gateway);
  } finally {
    await gateway.close();
  }
}

describe('suggestions in validation errors', () => {
  it('gives none in production, for a misspelled field, argument or enum value', async () => {
    await withGateway(PRODUCTION, async (gateway) => {
      const field = await graphql(gateway.url, '{ helth { status } }');
      expect(field.status).toBe(400);
      expect(field.errors![0].message).toBe('Cannot query field "helth" on type "Query".');
      const argument = await graphql(gateway.url, '{ microsoftProfile(chanel: MAIN) { id } }');
      expect(argument.errors![0].message).toBe('Unknown argument "chanel" on field "Query.microsoftProfile".');
      const enumValue = await graphql(gateway.url, CHANNEL_QUERY, { variables: { channel: 'MIAN' } });
      expect(enumValue.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
      for (const response of [field, argument, enumValue]) expect(response.errors![0].message).not.toMatch(/did you mean/i);
    });
  });

  it('keeps them in development', async () => {
    await withGateway({}, async (gateway) => {
      expect((await graphql(gateway.url, '{ helth { status } }')).errors![0].message).toMatch(/Did you mean "health"\?/);
      const enumValue = await graphql(gateway.url, CHANNEL_QUERY, { variables: { channel: 'MIAN' } });
      expect(enumValue.errors![0].message).toMatch(/Did you mean the enum value "MAIN"\?/);
    });
  });
});

describe('automatic persisted queries', () => {
  const query = '{ health { status } }';
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const persistedQuery = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });

  async function send(gateway: StartedGateway, body: Record<string, unknown>) {
    const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> } };
  }

  it('are not supported: a wrong, unknown or right hash is answered PERSISTED_QUERY_NOT_SUPPORTED without an error in the log', async () => {
    await withGateway(PRODUCTION, async (gateway) => {
      for (const body of [
        { query, extensions: persistedQuery(sha256('something else')) },
        { extensions: persistedQuery(sha256('{ viewer { id } }')) },
        { query, extensions: persistedQuery(sha256(query)) },
      ]) {
        const answer = await send(gateway, body);
        expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
      }
      const lines = gateway.logLines.map((line) => JSON.parse(line) as { level: number; msg: string; err?: { stack?: string } });
      // pino levels: 50 is error, 40 warn.
      expect(lines.filter((line) => line.level >= 50)).toEqual([]);
      expect(gateway.logLines.join('\n')).not.toMatch(/\bat .+\(.+:\d+:\d+\)/);
    });
  });

  it('do not stand in the way of the same query sent in full', async () => {
    await withGateway({}, async (gateway) => {
      const answer = await send(gateway, { query });
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
    });
  });
});
