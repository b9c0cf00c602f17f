// Documents built to make one request stall the process: each is answered, and /healthz answers while it runs.
import { graphql, type GraphQLResponse } from '../support/http';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

/** `{ ...F0 }` where each fragment spreads the next twice: the last one's selection is reached 2^(count-1) times. */
function doublingFragments(count: number, leaf: string, type = 'Query', operation = '{ ...F0 }'): string {
  const fragments = Array.from({ length: count - 1 }, (_, index) => `fragment F${index} on ${type} { ...F${index + 1} ...F${index + 1} }`);
  return `${operation} ${fragments.join(' ')} fragment F${count - 1} on ${type} { ${leaf} }`;
}

const repeated = (count: number, text: string) => Array.from({ length: count }, () => text).join(' ');

const WINDOW = 'start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z"';
const EVENT_INPUT = `{ subject: "s", start: { dateTime: "2026-01-01T09:00:00", timeZone: "UTC" }, end: { dateTime: "2026-01-01T10:00:00", timeZone: "UTC" }, attendees: [${repeated(60, '{ email: "a@example.com" }')}] }`;

// Generous: these only fail when a request hangs. On a blocked event loop jest's own timer cannot fire either.
const HANG_TIMEOUT_MS = 60_000;

describe('documents that would stall the process', () => {
  let gateway: StartedGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => {
    await gateway?.close();
  });

  /** Sends the query, then asks /healthz while it is in flight; both must answer. */
  async function sendWithHealthCheck(query: string): Promise<GraphQLResponse> {
    const answer = graphql(gateway!.url, query);
    const health = fetch(`${gateway!.url}/healthz`);
    const [response, healthResponse] = await Promise.all([answer, health]);
    expect(healthResponse.status).toBe(200);
    return response;
  }

  it('refuses 40 doubling fragments before parsing, by their number of spreads', async () => {
    const response = await sendWithHealthCheck(doublingFragments(40, 'health { status }'));
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 50, actual: 79 } })]);
    expect(response.errors![0].message).toMatch(/fragment spreads/);
  }, HANG_TIMEOUT_MS);

  // 25 doubling fragments stay under the spread limit (48 spreads) and reach their last one 2^24 times: a walk that
  // followed every path would hang here, so these prove each measure visits a fragment once.
  it('refuses 25 doubling fragments of a field by cost, counted exactly', async () => {
    const response = await sendWithHealthCheck(doublingFragments(25, 'health { status }'));
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 200, actual: 2 ** 25 } })]);
    expect(response.errors![0].message).toMatch(/cost/);
  }, HANG_TIMEOUT_MS);

  it('answers 25 doubling fragments of __typename, which cost nothing', async () => {
    const response = await sendWithHealthCheck(doublingFragments(25, '__typename'));
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ __typename: 'Query' });
  }, HANG_TIMEOUT_MS);

  it('refuses 25 doubling fragments of an alias by the number of aliases', async () => {
    const response = await sendWithHealthCheck(doublingFragments(25, 'a: health { status }'));
    expect(response.errors).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 20, actual: 2 ** 24 } })]);
    expect(response.errors![0].message).toMatch(/number of aliases/);
  }, HANG_TIMEOUT_MS);

  it('refuses 25 doubling fragments of a field with arguments and a list argument', async () => {
    const query = doublingFragments(25, `createEvent(input: ${EVENT_INPUT}) { id }`, 'Mutation', 'mutation { ...F0 }');
    const response = await sendWithHealthCheck(query);
    expect(response.errors).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 200, actual: 11 * 2 ** 24 } })]);
  }, HANG_TIMEOUT_MS);

  it('refuses 25 doubling fragments under events nodes before the $select mapping walks them', async () => {
    const query = doublingFragments(25, 'id subject', 'Event', `{ events(${WINDOW}) { nodes { ...F0 } } }`);
    const response = await sendWithHealthCheck(query);
    expect(response.errors).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 200, actual: 11 + 2 * 2 ** 24 } })]);
  }, HANG_TIMEOUT_MS);

  it('refuses a document over the token limit before parsing it, naming the count', async () => {
    const response = await sendWithHealthCheck(`{ ${repeated(700, 'health { status }')} }`);
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 2000, actual: 2802 } })]);
    expect(response.errors![0].message).toMatch(/tokens/);
  }, HANG_TIMEOUT_MS);

  it('refuses a document over the size limit, naming its size', async () => {
    const query = `{ health { status } } # ${'x'.repeat(140 * 1024)}`;
    const response = await sendWithHealthCheck(query);
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 128 * 1024, actual: Buffer.byteLength(query) } }),
    ]);
    expect(response.errors![0].message).toMatch(/size/);
  }, HANG_TIMEOUT_MS);

  it('answers the same field repeated up to the token limit (validation compares them pairwise)', async () => {
    const response = await sendWithHealthCheck(`{ ${repeated(499, 'health { status }')} }`);
    expect(response.status).toBeLessThan(500);
  }, HANG_TIMEOUT_MS);
});
