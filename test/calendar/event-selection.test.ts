// Graph is asked only for the event fields a query selects: through fragments, inline fragments and aliases alike.
import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { graphFieldsForEventFields, selectedEventFields } from '../../src/calendar/event-selection';
import { EVENT_FIELDS } from '../../src/calendar/event.mapper';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { graphql } from '../support/http';
import { signInAs } from '../support/sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

/** What the resolver of `events` would see for this document. */
function infoOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = Object.fromEntries(document.definitions
    .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
    .map((fragment) => [fragment.name.value, fragment]));
  const fieldNodes = operation.selectionSet.selections.filter((selection): selection is FieldNode => selection.kind === Kind.FIELD && selection.name.value === 'events');
  return { fieldNodes, fragments };
}

describe('the $select of an events query', () => {
  it.each([
    ['{ events(start: "a", end: "b") { nodes { id } } }', ['id', 'start', 'end']],
    ['{ events(start: "a", end: "b") { nodes { subject organizer { name } } pageInfo { hasNextPage } } }', ['id', 'subject', 'start', 'end', 'organizer']],
    ['{ events(start: "a", end: "b") { nodes { ...F } } } fragment F on Event { body { content } ... on Event { onlineMeetingUrl } }', ['id', 'body', 'start', 'end', 'onlineMeeting', 'onlineMeetingUrl']],
    ['{ events(start: "a", end: "b") { ...C } } fragment C on EventConnection { nodes { link: webLink __typename createdAt } }', ['id', 'start', 'end', 'webLink']],
    ['{ events(start: "a", end: "b") { pageInfo { endCursor } } }', ['id', 'start', 'end']],
  ])('%s asks Graph for %j', (query, expected) => {
    expect(graphFieldsForEventFields(selectedEventFields(infoOf(query)))).toEqual(expected);
  });

  it('asks for every field a query can select when it selects them all, in the order of EVENT_FIELDS', () => {
    const all = ['id', 'subject', 'bodyPreview', 'body', 'start', 'end', 'isAllDay', 'isCancelled', 'location', 'attendees', 'organizer',
      'isOnlineMeeting', 'onlineMeetingUrl', 'webLink', 'showAs', 'importance', 'seriesMasterId', 'type', 'changeKey', 'createdAt', 'lastModifiedAt',
      'recurrence', 'originalStart', 'responseStatus', 'onlineMeetingJoinUrl'];
    expect(graphFieldsForEventFields(all)).toEqual([...EVENT_FIELDS]);
  });

  it('walks each fragment once: 40 fragments that each spread the next twice, under the connection and under nodes', () => {
    const chain = (prefix: string, type: string, leaf: string) => [
      ...Array.from({ length: 39 }, (_, index) => `fragment ${prefix}${index} on ${type} { ...${prefix}${index + 1} ...${prefix}${index + 1} }`),
      `fragment ${prefix}39 on ${type} { ${leaf} }`,
    ].join(' ');
    const query = `{ events(start: "a", end: "b") { ...C0 } } ${chain('C', 'EventConnection', 'nodes { ...E0 }')} ${chain('E', 'Event', 'subject __typename')}`;
    expect(graphFieldsForEventFields(selectedEventFields(infoOf(query)))).toEqual(['id', 'subject', 'start', 'end']);
  });

  it('does not loop on a fragment that spreads itself', () => {
    const query = '{ events(start: "a", end: "b") { nodes { ...F } } } fragment F on Event { subject ...F }';
    expect([...selectedEventFields(infoOf(query))]).toEqual(['subject']);
  });
});

describe('events with a narrowed $select, against the sandbox', () => {
  let sandbox: Sandbox | undefined;
  let gateway: StartedGateway | undefined;
  let token = '';
  const day = 86_400_000;
  const variables = { start: new Date(Date.now() - 8 * day).toISOString(), end: new Date(Date.now() + 8 * day).toISOString() };

  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
    gateway = await startTestGateway({ RATE_LIMITS: 'off' }, { sandbox });
    token = (await signInAs(gateway, sandbox.users[0].email)).sessionToken;
  });

  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
  });

  type Node = Record<string, unknown> & { id: string };
  const events = async (selection: string, fragments = '') => {
    const response = await graphql<{ events: { nodes: Node[] } }>(gateway!.url,
      `query($start: DateTime!, $end: DateTime!) { events(start: $start, end: $end, first: 50) { nodes { ${selection} } } } ${fragments}`,
      { token, variables });
    expect(response.errors).toBeUndefined();
    return response.data!.events.nodes;
  };

  it('answers fields selected only through fragments, inline fragments and aliases as a full selection does', async () => {
    const full = await events('id body { content } organizer { address } onlineMeetingUrl subject');
    expect(full.some((node) => (node.body as { content: string } | null)?.content)).toBe(true);
    expect(full.some((node) => node.onlineMeetingUrl)).toBe(true);
    const narrowed = await events('id ...Body ... on Event { organizer { address } } joinUrl: onlineMeetingUrl', 'fragment Body on Event { body { content } }');
    expect(narrowed.map((node) => ({ id: node.id, body: node.body, organizer: node.organizer, onlineMeetingUrl: node.joinUrl })))
      .toEqual(full.map((node) => ({ id: node.id, body: node.body, organizer: node.organizer, onlineMeetingUrl: node.onlineMeetingUrl })));
  });

  // 25 fragments stay under the fragment-spread limit and reach the last one 2^24 times: a walk per path would hang.
  it('answers 25 doubling fragments of __typename under nodes, which cost nothing and so reach the resolver', async () => {
    const fragments = [
      ...Array.from({ length: 24 }, (_, index) => `fragment E${index} on Event { ...E${index + 1} ...E${index + 1} }`),
      'fragment E24 on Event { __typename }',
    ].join(' ');
    const nodes = await events('...E0', fragments);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((node) => node.__typename === 'Event')).toBe(true);
  }, 60_000);

  it('still answers a query that selects only ids', async () => {
    const nodes = await events('id');
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((node) => typeof node.id === 'string')).toBe(true);
  });
});
