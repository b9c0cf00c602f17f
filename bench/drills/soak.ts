// Soak drill: mixed reads and writes from 20 sessions while 2% of Graph calls fail (429 with Retry-After, 503, slow answers).
import { join } from 'node:path';
import type { BenchEnvironment } from '../support/bench-environment';
import { mapWithConcurrency, postGraphQL, sandboxAgent, signInThroughGateway, type GraphQLAnswer } from '../support/clients';
import type { FaultSpec } from '../../src/sandbox';
import { check, DOCUMENTED_CODES, sleep, startDrillGateway, type DrillCheck } from './drill-support';

const SESSIONS = 20;
const FAULT_SHARE = 0.02;
const FAULTS: FaultSpec[] = [
  { status: 429, retryAfterSeconds: 1, path: '/me' },
  { status: 503, path: '/me' },
  { status: 0, delayMs: 3_000, path: '/me' },
];

const EVENTS = 'query($s: DateTime!, $e: DateTime!) { events(start: $s, end: $e, first: 20) { nodes { id subject start { dateTime } } pageInfo { hasNextPage } } }';
const EVENT = 'query($id: ID!) { event(id: $id) { id subject changeKey } }';
const CALENDAR = '{ calendar { defaultCalendar { id name } calendars { id canEdit } } }';
const PROFILE = '{ microsoftProfile { id displayName } }';
const VIEWER = '{ viewer { id connections { active needsReconnect lastUsedAt } } }';
const CREATE = 'mutation($input: CreateEventInput!) { createEvent(input: $input) { id changeKey } }';
const UPDATE = 'mutation($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id changeKey } }';
const DELETE = 'mutation($id: ID!) { deleteEvent(id: $id) }';

interface Tally {
  ok: number;
  byCode: Map<string, number>;
}

export async function soakDrill(environment: BenchEnvironment, options: { durationSeconds: number; warmupSeconds: number }): Promise<DrillCheck[]> {
  const agent = sandboxAgent(environment.sandbox);
  const gateway = await startDrillGateway(environment, join(environment.workDir, 'soak.db'), 'soak');
  const tally: Tally = { ok: 0, byCode: new Map() };
  const memory: Array<{ atSeconds: number; mb: number }> = [];
  const running = { isOn: true };
  try {
    const demoEmails = environment.sandbox.users.filter((user) => !environment.benchUsers.includes(user)).map((user) => user.email);
    const tokens = await mapWithConcurrency(Array.from({ length: SESSIONS }, (_, index) => demoEmails[index % demoEmails.length]), 5,
      (email) => signInThroughGateway(gateway.url, agent, email));
    const startedAt = performance.now();
    const elapsedSeconds = () => (performance.now() - startedAt) / 1000;
    const faults = injectFaults(environment, running);
    const sampler = (async () => {
      while (running.isOn) {
        memory.push({ atSeconds: elapsedSeconds(), mb: gateway.residentMemoryMb() });
        await sleep(2_000);
      }
    })();
    const record = (answer: GraphQLAnswer<unknown>) => {
      if (!answer.errors?.length) tally.ok += 1;
      for (const error of answer.errors ?? []) {
        const code = String(error.extensions?.code ?? 'NO_CODE');
        tally.byCode.set(code, (tally.byCode.get(code) ?? 0) + 1);
      }
    };
    const workers = tokens.map((token, index) => userLoop(gateway.url, token, index, running, record));
    await sleep(options.durationSeconds * 1000);
    running.isOn = false;
    await Promise.all([...workers, faults, sampler]);
    memory.push({ atSeconds: elapsedSeconds(), mb: gateway.residentMemoryMb() });
    return judge(tally, memory, options.warmupSeconds, await faults);
  } finally {
    running.isOn = false;
    environment.sandbox.control.reset();
    await gateway.stop();
    agent.destroy();
  }
}

/** Every half second, as many faults as 2% of the Graph calls made since the last look. */
async function injectFaults(environment: BenchEnvironment, running: { isOn: boolean }): Promise<number> {
  const { control } = environment.sandbox;
  const graphCalls = () => Object.values(control.counters().graphRequests).reduce((sum, count) => sum + count, 0);
  let seen = graphCalls();
  let owed = 0;
  let injected = 0;
  while (running.isOn) {
    await sleep(500);
    const now = graphCalls();
    owed += (now - seen) * FAULT_SHARE;
    seen = now;
    for (; owed >= 1; owed -= 1) control.injectFault(FAULTS[injected++ % FAULTS.length]);
  }
  return injected;
}

async function userLoop(url: string, token: string, index: number, running: { isOn: boolean }, record: (answer: GraphQLAnswer<unknown>) => void): Promise<void> {
  const day = 86_400_000;
  const windowStart = new Date(Date.now() - 3 * day);
  const variables = { s: windowStart.toISOString(), e: new Date(windowStart.getTime() + 7 * day).toISOString() };
  let knownIds: string[] = [];
  for (let round = 0; running.isOn; round += 1) {
    const ask = async <T>(query: string, vars?: Record<string, unknown>) => {
      try {
        const answer = await postGraphQL<T>(url, query, { token, variables: vars, timeoutMs: 60_000 });
        record(answer);
        return answer;
      } catch {
        const failed: GraphQLAnswer<T> = { status: 0, errors: [{ message: 'no answer', extensions: { code: 'NO_HTTP_ANSWER' } }] };
        record(failed);
        return failed;
      }
    };
    const pick = (round + index) % 10;
    if (pick < 4) {
      const answer = await ask<{ events: { nodes: Array<{ id: string }> } }>(EVENTS, variables);
      knownIds = answer.data?.events.nodes.map((node) => node.id) ?? knownIds;
    } else if (pick === 4 && knownIds.length > 0) {
      await ask(EVENT, { id: knownIds[round % knownIds.length] });
    } else if (pick === 5) {
      await ask(CALENDAR);
    } else if (pick === 6) {
      await ask(PROFILE);
    } else if (pick === 7) {
      await ask(VIEWER);
    } else {
      await writeCycle(ask, index, round);
    }
  }
}

type Ask = <T>(query: string, variables?: Record<string, unknown>) => Promise<GraphQLAnswer<T>>;

async function writeCycle(ask: Ask, index: number, round: number): Promise<void> {
  const start = new Date(Date.now() + (1 + (index % 5)) * 86_400_000 + (round % 8) * 3_600_000);
  const local = (date: Date) => date.toISOString().slice(0, 19);
  const created = await ask<{ createEvent: { id: string } }>(CREATE, {
    input: { subject: `Soak ${index}/${round}`, body: 'soak drill', start: { dateTime: local(start), timeZone: 'UTC' }, end: { dateTime: local(new Date(start.getTime() + 1_800_000)), timeZone: 'UTC' } },
  });
  const id = created.data?.createEvent.id;
  if (!id) return;
  await ask(UPDATE, { id, input: { subject: `Soak ${index}/${round} (moved)`, location: 'Room 2' } });
  await ask(DELETE, { id });
}

function judge(tally: Tally, memory: Array<{ atSeconds: number; mb: number }>, warmupSeconds: number, faultsInjected: number): DrillCheck[] {
  const failures = [...tally.byCode.values()].reduce((sum, count) => sum + count, 0);
  const codes = [...tally.byCode].map(([code, count]) => `${code} ${count}`).join(', ') || 'none';
  const internal = tally.byCode.get('INTERNAL_SERVER_ERROR') ?? 0;
  const undocumented = [...tally.byCode.keys()].filter((code) => !DOCUMENTED_CODES.has(code) || code === 'INTERNAL_SERVER_ERROR');
  const afterWarmup = memory.find((sample) => sample.atSeconds >= warmupSeconds) ?? memory[0];
  const atEnd = memory[memory.length - 1];
  const growth = afterWarmup && atEnd ? (atEnd.mb - afterWarmup.mb) / afterWarmup.mb : Number.NaN;
  const peak = Math.max(...memory.map((sample) => sample.mb));
  return [
    check('soak', 'faults were injected into about 2% of Graph calls', faultsInjected > 0, `${faultsInjected} faults injected (429 + Retry-After, 503, 3 s delay, in turn)`),
    check('soak', 'no request ends in INTERNAL_SERVER_ERROR', internal === 0, `${tally.ok} operations succeeded, ${failures} errors: ${codes}`),
    check('soak', 'every failure carries a documented code', undocumented.filter((code) => code !== 'INTERNAL_SERVER_ERROR').length === 0,
      undocumented.length ? `undocumented or missing codes: ${undocumented.join(', ')}` : 'all error codes are in shared/contract/errors.md'),
    check('soak', 'resident memory at the end within 10% of the level after warm-up', Number.isFinite(growth) && growth <= 0.1,
      `after warm-up ${afterWarmup?.mb.toFixed(1)} MB at ${afterWarmup?.atSeconds.toFixed(0)} s, at the end ${atEnd?.mb.toFixed(1)} MB (${(growth * 100).toFixed(1)}%), peak ${peak.toFixed(1)} MB`),
  ];
}
