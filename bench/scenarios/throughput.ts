// Figures 1 and 2: the gateway's overhead over a direct Graph request, and over a bare Apollo Server.
import { join, resolve } from 'node:path';
import { Kind, parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { graphFieldsForEventFields, selectedEventFields } from '../../src/calendar/event-selection';
import type { BenchContext } from './context';
import { freePort, GATEWAY_NODE_FLAGS, startGatewayProcess, TYPESCRIPT_NODE_ARGUMENTS } from '../support/gateway-process';
import { sampleInTurn } from '../support/latency-client';
import { runLoad, type LoadResult } from '../support/load';
import { ratio, type ResultRow } from '../support/stats';

export const EVENTS_QUERY = `query Events($start: DateTime!, $end: DateTime!) {
  events(start: $start, end: $end, first: 10) {
    nodes { id subject start { dateTime timeZone } end { dateTime timeZone } location isAllDay attendees { email } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The $select the gateway sends for EVENTS_QUERY: the Graph fields behind the Event fields it selects. */
export function eventsQuerySelect(): string[] {
  const operation = parse(EVENTS_QUERY).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const eventsField = operation.selectionSet.selections.find((selection): selection is FieldNode => selection.kind === Kind.FIELD && selection.name.value === 'events')!;
  return graphFieldsForEventFields(selectedEventFields({ fieldNodes: [eventsField], fragments: {} }));
}

/** The Graph request the gateway sends for EVENTS_QUERY (see CalendarService.events). */
export function directCalendarViewUrl(graphBaseUrl: string, window: { start: Date; end: Date }): string {
  const query = new URLSearchParams({
    startDateTime: window.start.toISOString(), endDateTime: window.end.toISOString(), $orderby: 'start/dateTime', $top: '10',
    $select: eventsQuerySelect().join(','),
  });
  return `${graphBaseUrl}/v1.0/me/calendarView?${query.toString()}`;
}

export async function measureGatewayOverhead(context: BenchContext, rows: ResultRow[]): Promise<void> {
  const { environment, gateway, users, window, options } = context;
  const variables = { start: window.start.toISOString(), end: window.end.toISOString() };
  const directUrl = directCalendarViewUrl(environment.sandbox.graphBaseUrl, window);
  const directHeaders = (token: string) => ({ authorization: `Bearer ${token}`, prefer: 'outlook.timezone="UTC"' });
  const viaGatewayLoad = (connections: number, durationSeconds: number) => runLoad({
    url: `${gateway.url}/graphql`, method: 'POST', body: JSON.stringify({ query: EVENTS_QUERY, variables }),
    headersPerConnection: users.slice(0, connections).map((user) => ({ 'content-type': 'application/json', authorization: `Bearer ${user.sessionToken}` })),
  }, { connections, durationSeconds });
  const directLoad = (connections: number, durationSeconds: number) => runLoad({
    url: directUrl, method: 'GET', caPem: environment.sandbox.caCertificatePem,
    headersPerConnection: users.slice(0, connections).map((user) => directHeaders(user.directToken)),
  }, { connections, durationSeconds });
  // Steady state, as in the framework comparison: an untimed run per side first, so no figure carries the JIT's warm-up.
  await viaGatewayLoad(32, 2);
  await directLoad(32, 2);
  const loadRows: ResultRow[] = [];
  for (const connections of [1, 32]) {
    const cpuBefore = gateway.cpuMs();
    const viaGateway = await viaGatewayLoad(connections, options.loadSeconds);
    const cpuPerRequest = (gateway.cpuMs() - cpuBefore) / viaGateway.requests;
    const direct = await directLoad(connections, options.loadSeconds);
    const prefix = `overhead.c${connections}`;
    loadRows.push(
      { key: `${prefix}.gateway.rps`, label: `events via gateway, c=${connections}, req/s`, value: viaGateway.requestsPerSecond },
      { key: `${prefix}.gateway.load.p50Ms`, label: `events via gateway, c=${connections}, p50 (autocannon)`, value: viaGateway.p50Ms, unit: 'ms' },
      { key: `${prefix}.gateway.load.p99Ms`, label: `events via gateway, c=${connections}, p99 (autocannon)`, value: viaGateway.p99Ms, unit: 'ms' },
      { key: `${prefix}.gateway.cpuMsPerRequest`, label: `events via gateway, c=${connections}, gateway CPU per request`, value: cpuPerRequest, unit: 'ms' },
      { key: `${prefix}.gateway.failures`, label: `events via gateway, c=${connections}, failures`, value: viaGateway.failures, target: '0', meetsTarget: viaGateway.failures === 0 },
      { key: `${prefix}.direct.rps`, label: `calendarView direct, c=${connections}, req/s`, value: direct.requestsPerSecond },
      { key: `${prefix}.direct.load.p50Ms`, label: `calendarView direct, c=${connections}, p50 (autocannon)`, value: direct.p50Ms, unit: 'ms' },
      { key: `${prefix}.direct.load.p99Ms`, label: `calendarView direct, c=${connections}, p99 (autocannon)`, value: direct.p99Ms, unit: 'ms' },
      { key: `${prefix}.addedP50Ms`, label: `added latency at p50, c=${connections} (autocannon)`, value: viaGateway.p50Ms - direct.p50Ms, unit: 'ms' },
      { key: `${prefix}.throughputRatio`, label: `gateway/direct throughput, c=${connections}`, value: ratio(viaGateway.requestsPerSecond, direct.requestsPerSecond) },
    );
  }
  const first = users[0];
  // The load runs come first: the concurrency-1 samples below are then taken from a gateway and a sandbox in their steady
  // state (JIT-compiled, heap sized), as a deployed gateway is. From a client process of its own, one request to each
  // side in turn (see bench/support/latency-client.ts).
  const [gatewayC1, directC1] = await sampleInTurn([
    { kind: 'graphql', url: gateway.url, query: EVENTS_QUERY, variables, token: first.sessionToken },
    { kind: 'https', url: directUrl, headers: directHeaders(first.directToken), caPem: environment.sandbox.caCertificatePem },
  ], options.sequentialSamples, options.sequentialWarmup);
  rows.push(
    { key: 'overhead.c1.gateway.p50Ms', label: 'events via gateway, c=1, p50', value: gatewayC1.p50, unit: 'ms' },
    { key: 'overhead.c1.gateway.p99Ms', label: 'events via gateway, c=1, p99', value: gatewayC1.p99, unit: 'ms' },
    { key: 'overhead.c1.direct.p50Ms', label: 'calendarView direct, c=1, p50', value: directC1.p50, unit: 'ms' },
    { key: 'overhead.c1.direct.p99Ms', label: 'calendarView direct, c=1, p99', value: directC1.p99, unit: 'ms' },
    {
      key: 'overhead.c1.addedP50Ms', label: 'added latency at p50, c=1', value: gatewayC1.p50 - directC1.p50, unit: 'ms',
      target: '<= 1 ms', meetsTarget: gatewayC1.p50 - directC1.p50 <= 1,
    },
    { key: 'overhead.c1.addedP99Ms', label: 'added latency at p99, c=1', value: gatewayC1.p99 - directC1.p99, unit: 'ms' },
  );
  await measureLatencyBreakdown(context, rows);
  rows.push(...loadRows);
}

export async function measureFrameworkOverhead(context: BenchContext, rows: ResultRow[]): Promise<void> {
  const { gateway, users, options } = context;
  const port = await freePort();
  const bare = await startGatewayProcess({
    env: { NODE_ENV: 'production' }, port, logFile: join(context.environment.workDir, 'bare-apollo.log'),
    // The Node flags of npm start, as the gateway runs with: the comparison is of the frameworks, not of V8 settings.
    nodeArguments: [...GATEWAY_NODE_FLAGS, ...TYPESCRIPT_NODE_ARGUMENTS, resolve(__dirname, '../support/bare-apollo-server.ts')],
  });
  try {
    const tokens = users.slice(0, options.frameworkConnections).map((user) => user.sessionToken);
    const targets = [
      { process: bare, url: bare.url, query: '{ viewer }', tokens: [undefined] },
      { process: gateway, url: gateway.url, query: '{ viewer { id } }', tokens: [undefined] },
      { process: gateway, url: gateway.url, query: '{ viewer { id displayName email } }', tokens },
    ];
    const load = (target: (typeof targets)[number], durationSeconds: number) => runLoad({
      url: `${target.url}/graphql`, method: 'POST', body: JSON.stringify({ query: target.query }),
      headersPerConnection: target.tokens.map((token) => ({ 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) })),
    }, { connections: options.frameworkConnections, durationSeconds });
    // Steady state: each target gets a short untimed run first, so that no figure carries the JIT's warm-up. Then
    // rounds of one run per target in turn, so that a slow moment of the shared machine does not land on one target
    // only; each figure is the median over the rounds.
    for (const target of targets) await load(target, 1);
    const runs = targets.map(() => [] as Array<LoadResult & { cpuMsPerRequest: number }>);
    for (let round = 0; round < options.frameworkRounds; round += 1) {
      for (const [index, target] of targets.entries()) {
        const cpuBefore = target.process.cpuMs();
        const result = await load(target, options.loadSeconds);
        runs[index].push({ ...result, cpuMsPerRequest: (target.process.cpuMs() - cpuBefore) / result.requests });
      }
    }
    const [bareResult, anonymous, authenticated] = runs.map(medianRun);
    // One process hop with the least work Apollo can do: the share of any gateway's concurrency-1 latency that is
    // the hop itself (process wake-ups, HTTP) on this machine.
    const [bareC1, anonymousC1] = await sampleInTurn([
      { kind: 'graphql', url: bare.url, query: '{ viewer }' },
      { kind: 'graphql', url: gateway.url, query: '{ viewer { id } }' },
    ], Math.ceil(options.sequentialSamples / 2), options.sequentialWarmup);
    const [bareCpuPerRequest, anonymousCpuPerRequest, authenticatedCpuPerRequest] = [bareResult, anonymous, authenticated].map((run) => run.cpuMsPerRequest);
    const anonymousRatio = ratio(anonymous.requestsPerSecond, bareResult.requestsPerSecond);
    const authenticatedRatio = ratio(authenticated.requestsPerSecond, bareResult.requestsPerSecond);
    const c = options.frameworkConnections;
    const failures = runs.flat().reduce((sum, run) => sum + run.failures, 0);
    rows.push(
      { key: 'framework.bare.rps', label: `bare Apollo Server 5, one field, c=${c}, req/s`, value: bareResult.requestsPerSecond },
      { key: 'framework.anonymousViewer.rps', label: `gateway anonymous viewer, c=${c}, req/s`, value: anonymous.requestsPerSecond },
      { key: 'framework.authenticatedViewer.rps', label: `gateway authenticated viewer, c=${c}, req/s`, value: authenticated.requestsPerSecond },
      { key: 'framework.anonymousViewer.p50Ms', label: 'gateway anonymous viewer, p50', value: anonymous.p50Ms, unit: 'ms' },
      { key: 'framework.authenticatedViewer.p50Ms', label: 'gateway authenticated viewer, p50', value: authenticated.p50Ms, unit: 'ms' },
      { key: 'framework.bare.p50Ms', label: 'bare Apollo Server 5, p50', value: bareResult.p50Ms, unit: 'ms' },
      { key: 'framework.bare.cpuMsPerRequest', label: 'bare Apollo Server 5, CPU per request', value: bareCpuPerRequest, unit: 'ms' },
      { key: 'framework.anonymousViewer.cpuMsPerRequest', label: 'gateway anonymous viewer, CPU per request', value: anonymousCpuPerRequest, unit: 'ms' },
      { key: 'framework.authenticatedViewer.cpuMsPerRequest', label: 'gateway authenticated viewer, CPU per request', value: authenticatedCpuPerRequest, unit: 'ms' },
      { key: 'framework.anonymousRatio', label: 'anonymous viewer / bare Apollo req/s', value: anonymousRatio, target: '>= 0.80', meetsTarget: anonymousRatio >= 0.8 },
      { key: 'framework.authenticatedRatio', label: 'authenticated viewer / bare Apollo req/s', value: authenticatedRatio, target: '>= 0.70', meetsTarget: authenticatedRatio >= 0.7 },
      { key: 'framework.bare.c1.p50Ms', label: 'bare Apollo Server 5, c=1 round trip, p50', value: bareC1.p50, unit: 'ms' },
      { key: 'framework.anonymousViewer.c1.p50Ms', label: 'gateway anonymous viewer, c=1 round trip, p50', value: anonymousC1.p50, unit: 'ms' },
      { key: 'framework.rounds', label: 'rounds per target (median shown)', value: options.frameworkRounds },
      { key: 'framework.failures', label: 'viewer runs, failures', value: failures, target: '0', meetsTarget: failures === 0 },
    );
  } finally {
    await bare.stop();
  }
}

/** The run with the median requests/s (the lower middle one for an even count). */
function medianRun<T extends { requestsPerSecond: number }>(runs: T[]): T {
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Where the added milliseconds go at concurrency 1: the gateway without Graph, and the smallest Graph read beside its floor. */
async function measureLatencyBreakdown(context: BenchContext, rows: ResultRow[]): Promise<void> {
  const { environment, gateway, users, options } = context;
  const first = users[0];
  const samples = Math.ceil(options.sequentialSamples / 2);
  const [anonymous, authenticated, profile, me] = await sampleInTurn([
    { kind: 'graphql', url: gateway.url, query: '{ viewer { id } }' },
    { kind: 'graphql', url: gateway.url, query: '{ viewer { id displayName } }', token: first.sessionToken },
    { kind: 'graphql', url: gateway.url, query: '{ microsoftProfile { id displayName } }', token: first.sessionToken },
    { kind: 'https', url: `${environment.sandbox.graphBaseUrl}/v1.0/me`, headers: { authorization: `Bearer ${first.directToken}` }, caPem: environment.sandbox.caCertificatePem },
  ], samples, options.sequentialWarmup);
  rows.push(
    { key: 'breakdown.c1.anonymousViewer.p50Ms', label: 'breakdown c=1: anonymous viewer (no Graph), p50', value: anonymous.p50, unit: 'ms' },
    { key: 'breakdown.c1.authenticatedViewer.p50Ms', label: 'breakdown c=1: authenticated viewer (no Graph), p50', value: authenticated.p50, unit: 'ms' },
    { key: 'breakdown.c1.microsoftProfile.p50Ms', label: 'breakdown c=1: microsoftProfile via gateway, p50', value: profile.p50, unit: 'ms' },
    { key: 'breakdown.c1.directMe.p50Ms', label: 'breakdown c=1: GET /me direct, p50', value: me.p50, unit: 'ms' },
    { key: 'breakdown.c1.profileAddedP50Ms', label: 'breakdown c=1: added latency of microsoftProfile, p50', value: profile.p50 - me.p50, unit: 'ms' },
  );
}
