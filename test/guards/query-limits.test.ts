import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { serverAudits } from 'graphql-http';
import { DEFAULT_QUERY_LIMITS, findBreach, measureOperation } from '../../src/guards/query-limits';
import { errorCodes, graphql } from '../support/http';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

function measure(query: string) {
  const document = parse(query);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    if (definition.kind === Kind.OPERATION_DEFINITION) operation ??= definition;
  }
  return measureOperation(operation!, fragments);
}

const aliases = (count: number, field: string) => Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ');

describe('measuring an operation', () => {
  it.each([
    ['{ health { status } }', { depth: 2, aliases: 0, cost: 2 }],
    ['{ microsoftProfile { id } }', { depth: 2, aliases: 0, cost: 11 }],
    ['{ a: health { status } b: health { status } }', { depth: 2, aliases: 2, cost: 4 }],
    ['{ ...F } fragment F on Query { events(start: "x", end: "y") { nodes { id } } }', { depth: 3, aliases: 0, cost: 12 }],
    ['{ ... on Query { calendar { calendars { owner { name } } } } }', { depth: 4, aliases: 0, cost: 13 }],
    ['{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } health { status } }', { depth: 2, aliases: 0, cost: 2 }],
  ])('measures %s', (query, expected) => {
    expect(measure(query)).toEqual(expected);
  });

  it('names the first limit broken, with its limit and the actual value', () => {
    expect(findBreach({ depth: 11, aliases: 0, cost: 1 }, DEFAULT_QUERY_LIMITS)).toEqual({ what: 'depth', limit: 10, actual: 11 });
    expect(findBreach({ depth: 2, aliases: 21, cost: 1 }, DEFAULT_QUERY_LIMITS)).toEqual({ what: 'number of aliases', limit: 20, actual: 21 });
    expect(findBreach({ depth: 2, aliases: 0, cost: 201 }, DEFAULT_QUERY_LIMITS)).toEqual({ what: 'cost', limit: 200, actual: 201 });
    expect(findBreach({ depth: 10, aliases: 20, cost: 200 }, DEFAULT_QUERY_LIMITS)).toBeUndefined();
  });

  it('does not loop on a fragment cycle that slipped past validation', () => {
    expect(measure('{ ...A } fragment A on Query { ...B health { status } } fragment B on Query { ...A }').cost).toBe(2);
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

  it('refuses the same over-limit query every time it is sent (the measure is kept per parsed operation)', async () => {
    const query = `{ ${aliases(25, 'health { status }')} }`;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await graphql(gateway!.url, query);
      expect(response.status).toBe(400);
      expect(response.errors![0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 20, actual: 25 });
    }
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
