import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { serverAudits } from 'graphql-http';
import { buildGatewaySchema } from '../../src/graphql/build-schema';
import { schemaOnlyBindings } from '../../src/graphql/resolvers';
import { documentBreach } from '../../src/guards/document-limits';
import { operationCost } from '../../src/guards/query-cost';
import { breachOf, DEFAULT_QUERY_LIMITS } from '../../src/guards/query-limits';
import { measureShape } from '../../src/guards/query-shape.rules';
import { errorCodes, graphql } from '../support/http';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const schema = buildGatewaySchema(schemaOnlyBindings());

function measure(query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  return { ...measureShape(schema, document), cost: operationCost(schema, document, operation!, variables) };
}

const aliases = (count: number, field: string) => Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ');
const WINDOW = 'start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z"';

describe('measuring an operation', () => {
  it.each([
    ['{ health { status } }', { depth: 2, aliases: 0, cost: 2 }],
    ['{ microsoftProfile { id } }', { depth: 2, aliases: 0, cost: 11 }],
    ['{ a: health { status } b: health { status } }', { depth: 2, aliases: 2, cost: 4 }],
    [`{ ...F } fragment F on Query { events(${WINDOW}) { nodes { id } } }`, { depth: 3, aliases: 0, cost: 12 }],
    ['{ ... on Query { calendar { calendars { owner { name } } } } }', { depth: 4, aliases: 0, cost: 13 }],
    // Calendar.events calls Graph (one batch for all calendars): 10 like a Microsoft-facing root field.
    [`{ calendar { calendars { events(${WINDOW}) { nodes { id } } } } }`, { depth: 5, aliases: 0, cost: 23 }],
    ['{ schedule(emails: ["a@b.example"], start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z") { email } }', { depth: 2, aliases: 0, cost: 11 }],
    ['{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } health { status } }', { depth: 2, aliases: 0, cost: 2 }],
    ['mutation { a: createEvent(input: { subject: "s", start: { dateTime: "2026-01-01T09:00:00", timeZone: "UTC" }, end: { dateTime: "2026-01-01T10:00:00", timeZone: "UTC" } }) { id } }', { depth: 2, aliases: 1, cost: 11 }],
  ])('measures %s', (query, expected) => {
    expect(measure(query)).toEqual(expected);
  });

  it('counts a fragment at every spread, measuring it once (40 doubling fragments)', () => {
    const fragments = Array.from({ length: 39 }, (_, index) => `fragment F${index} on Query { ...F${index + 1} ...F${index + 1} }`).join(' ');
    expect(measure(`{ ...F0 } ${fragments} fragment F39 on Query { a: health { status } }`)).toEqual({ depth: 2, aliases: 2 ** 39, cost: 2 ** 40 });
  });

  it('leaves out what @skip and @include take away, with their variables', () => {
    const query = 'query ($withProfile: Boolean!) { health { status } microsoftProfile @include(if: $withProfile) { id } }';
    expect(measure(query, { withProfile: true }).cost).toBe(13);
    expect(measure(query, { withProfile: false }).cost).toBe(2);
  });

  it('has no cost for variables that do not fit the operation (execution refuses them)', () => {
    expect(measure('query ($first: Int!) { health { status } }', { first: 'many' }).cost).toBeUndefined();
  });

  it('names a limit broken, with its limit and the actual value', () => {
    expect(breachOf('depth', DEFAULT_QUERY_LIMITS.maxDepth, 11)).toEqual({ what: 'depth', limit: 10, actual: 11 });
    expect(breachOf('number of aliases', DEFAULT_QUERY_LIMITS.maxAliases, 21)).toEqual({ what: 'number of aliases', limit: 20, actual: 21 });
    expect(breachOf('cost', DEFAULT_QUERY_LIMITS.maxCost, 201)).toEqual({ what: 'cost', limit: 200, actual: 201 });
    expect(breachOf('depth', 10, 10) ?? breachOf('number of aliases', 20, 20) ?? breachOf('cost', 200, 200)).toBeUndefined();
  });

  it('does not loop on a fragment cycle that slipped past validation', () => {
    expect(measure('{ ...A } fragment A on Query { ...B health { status } } fragment B on Query { ...A }').cost).toBe(2);
  });
});

describe('measuring a query text', () => {
  const limits = { maxTokens: 6, maxDocumentBytes: 64, maxFragmentSpreads: 50 };

  it.each([
    ['{ health { status } }', undefined],
    ['{ health { status } } # comments are not tokens', undefined],
    ['{ health { status } viewer }', { what: 'number of tokens', limit: 6, actual: 7 }],
    [`{ health { status } } # ${'x'.repeat(60)}`, { what: 'size in bytes', limit: 64, actual: 84 }],
    ['{ health { status } "unterminated', undefined],
  ])('measures %s', (queryText, expected) => {
    expect(documentBreach(queryText, limits)).toEqual(expected);
  });

  it('counts named fragment spreads, not inline fragments', () => {
    const spreads = (count: number) => `{ ${'...F '.repeat(count)}... on Query { health } } fragment F on Query { health }`;
    const wide = { maxTokens: 1000, maxDocumentBytes: 4096, maxFragmentSpreads: 3 };
    expect(documentBreach(spreads(3), wide)).toBeUndefined();
    expect(documentBreach(spreads(4), wide)).toEqual({ what: 'number of fragment spreads', limit: 3, actual: 4 });
  });

  it('counts size in UTF-8 bytes', () => {
    expect(documentBreach(`{ health } # ${'é'.repeat(30)}`, limits)).toEqual({ what: 'size in bytes', limit: 64, actual: 73 });
  });
});

describe('query limits and HTTP hygiene over HTTP', () => {
  let gateway: StartedGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('refuses 200 aliases of microsoftProfile before execution with QUERY_TOO_COMPLEX', async () => {
    const response = await graphql(gateway!.url, `{ ${aliases(200, 'microsoftProfile { id }')} }`);
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 20, actual: 200 });
    // Nothing ran: the first real call is still within the default limit of 100.
    expect(errorCodes(await graphql(gateway!.url, '{ microsoftProfile { id } }'))).not.toContain('RATE_LIMITED');
  });

  it('refuses a query whose Graph-bound fields cost too much, even under the alias limit', async () => {
    const response = await graphql(gateway!.url, `{ ${aliases(19, 'microsoftProfile { id displayName }')} }`);
    expect(response.errors![0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 200, actual: 19 * 12 });
  });

  it('refuses the same over-limit query every time it is sent (a refused document is never cached as valid)', async () => {
    const query = `{ ${aliases(25, 'health { status }')} }`;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await graphql(gateway!.url, query);
      expect(response.status).toBe(400);
      expect(response.errors![0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 20, actual: 25 });
    }
  });

  it('refuses a GET query over the token limit as it refuses a POST', async () => {
    const query = `{ ${aliases(700, 'health')} }`;
    const response = await fetch(`${gateway!.url}/graphql?query=${encodeURIComponent(query)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Array<{ extensions: unknown }> }).errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 2000, actual: 2102 });
  });

  it('refuses a long chain of small fragments before validation compares them pairwise', async () => {
    const chain = Array.from({ length: 215 }, (_, index) => `fragment C${index} on Health { status ${index < 214 ? `...C${index + 1}` : ''} }`).join(' ');
    const response = await graphql(gateway!.url, `{ health { ...C0 } } ${chain}`);
    expect(response.status).toBe(400);
    expect(response.errors![0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 50, actual: 215 });
  });

  it('refuses a directive argument that variables leave null as BAD_USER_INPUT, not a masked error', async () => {
    const response = await fetch(`${gateway!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($v: Boolean = true) { health @skip(if: $v) { status } }', variables: { v: null } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(gateway!.logLines.join('')).not.toMatch(/"level":50/);
  });

  it('answers a query within the limits', async () => {
    const response = await graphql(gateway!.url, `{ ${aliases(20, 'health { status }')} }`);
    expect(response.errors).toBeUndefined();
  });

  it('refuses a body over the size limit with 413', async () => {
    const body = JSON.stringify({ query: `{ health { status } } # ${'x'.repeat(300 * 1024)}` });
    const response = await fetch(`${gateway!.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(413);
  });

  it('refuses batched requests', async () => {
    const body = JSON.stringify([{ query: '{ health { status } }' }, { query: '{ health { status } }' }]);
    const response = await fetch(`${gateway!.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(400);
  });

  it('refuses a simple cross-site request (CSRF prevention)', async () => {
    const response = await fetch(`${gateway!.url}/graphql?query=${encodeURIComponent('{ health { status } }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/i);
  });

  it('allows introspection and the landing page outside production', async () => {
    const introspection = await graphql(gateway!.url, '{ __schema { queryType { name } } }');
    expect(introspection.errors).toBeUndefined();
    const landing = await fetch(`${gateway!.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(landing.status).toBe(200);
    expect(landing.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('passes every MUST of the graphql-http audit suite', async () => {
    const audits = serverAudits({ url: `${gateway!.url}/graphql`, fetchFn: fetch });
    const failures: string[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      if (audit.name.startsWith('MUST') && result.status !== 'ok') failures.push(`${audit.name}: ${'reason' in result ? result.reason : ''}`);
    }
    expect(audits.filter((audit) => audit.name.startsWith('MUST')).length).toBeGreaterThanOrEqual(13);
    expect(failures).toEqual([]);
  });
});

describe('in production', () => {
  it('turns off introspection and the landing page', async () => {
    const gateway = await startTestGateway({ NODE_ENV: 'production', TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') });
    try {
      const introspection = await graphql(gateway.url, '{ __schema { queryType { name } } }');
      expect(introspection.errors?.[0].message).toMatch(/introspection/i);
      const landing = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await landing.text()).not.toMatch(/<html/i);
    } finally {
      await gateway.close();
    }
  });
});
