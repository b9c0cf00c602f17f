// The cost of the shared mode (PostgreSQL + Redis, 1 and 2 instances) against the embedded one (SQLite, no Redis), side by side.
// Run: npm run build && node -r ./bench/register.js bench/shared-mode.ts [--quick]   (needs PostgreSQL and Redis on 127.0.0.1)
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { EVENTS_QUERY } from './scenarios/throughput';
import { startBenchEnvironment, type BenchEnvironment } from './support/bench-environment';
import { closeGatewayAgent, mapWithConcurrency, postGraphQL, sandboxAgent, signInThroughGateway } from './support/clients';
import { freePort, REPOSITORY_ROOT, startGatewayProcess, type GatewayProcess } from './support/gateway-process';
import { runLoad, sampleSequential, type LoadResult } from './support/load';
import { renderTable, toKeyedFigures, type ResultRow } from './support/stats';

const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = 'redis://127.0.0.1:6379';
const SESSIONS = 32;

interface Mode {
  key: 'embedded' | 'shared1' | 'shared2';
  label: string;
  instances: number;
  /** A database (and Redis prefix) of its own per mode and round. */
  env(workDir: string, round: number): Record<string, string>;
}

const schemaName = `gw_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const redisKeyPrefix = `bench:${randomUUID()}:`;
const MODES: Mode[] = [
  { key: 'embedded', label: 'SQLite, no Redis, 1 instance', instances: 1, env: (workDir, round) => ({ DATABASE_URL: `file:${join(workDir, `embedded-${round}.db`)}` }) },
  { key: 'shared1', label: 'PostgreSQL + Redis, 1 instance', instances: 1, env: (_workDir, round) => sharedEnv(`1_${round}`) },
  { key: 'shared2', label: 'PostgreSQL + Redis, 2 instances', instances: 2, env: (_workDir, round) => sharedEnv(`2_${round}`) },
];

function sharedEnv(run: string): Record<string, string> {
  return { DATABASE_URL: `${POSTGRES_URL}?schema=${schemaName}_${run}`, REDIS_URL, REDIS_KEY_PREFIX: `${redisKeyPrefix}${run}:` };
}

type Figures = Record<string, { label: string; value: number; unit: string }>;

async function measureMode(environment: BenchEnvironment, mode: Mode, round: number, options: { seconds: number; samples: number }): Promise<Figures> {
  const instances: GatewayProcess[] = [];
  try {
    for (let index = 0; index < mode.instances; index += 1) {
      const port = await freePort();
      instances.push(await startGatewayProcess({
        env: environment.gatewayEnv(port, '', mode.env(environment.workDir, round)), port, logFile: join(environment.workDir, `${mode.key}-${round}-${index}.log`),
      }));
    }
    const agent = sandboxAgent(environment.sandbox);
    // 32 sessions over the four demo mailboxes (users added at run time have no calendar), spread over the instances
    // as a load balancer would; each session's requests then go to "its" instance.
    const mailboxes = environment.sandbox.users.slice(0, 4);
    const sessions = await mapWithConcurrency(Array.from({ length: SESSIONS }, (_, index) => index), 1, async (index) => ({
      url: instances[index % instances.length].url,
      token: await signInThroughGateway(instances[index % instances.length].url, agent, mailboxes[index % mailboxes.length].email),
    }));
    agent.destroy();
    // The demo mailboxes hold events around the day the sandbox starts (as bench/run-bench.ts reads them).
    const start = new Date();
    start.setUTCHours(0, 0, 0, 0);
    start.setUTCDate(start.getUTCDate() - 3);
    const variables = { start: start.toISOString(), end: new Date(start.getTime() + 7 * 86_400_000).toISOString() };
    const load = (query: string, withVariables?: object) => runSplit(instances, sessions, JSON.stringify({ query, variables: withVariables }), options.seconds);
    const viewer = await load('{ viewer { id } }');
    const events = await load(EVENTS_QUERY, variables);
    const sequential = await sampleSequential(async () => {
      const answer = await postGraphQL(sessions[0].url, EVENTS_QUERY, { variables, token: sessions[0].token });
      if (answer.errors) throw new Error(`events failed: ${answer.errors[0]?.extensions?.code}`);
    }, options.samples);
    return {
      'viewer.c32.rps': { label: 'viewer, c=32', value: viewer.requestsPerSecond, unit: 'req/s' },
      'viewer.c32.p99Ms': { label: 'viewer, c=32, p99', value: viewer.p99Ms, unit: 'ms' },
      'events.c32.rps': { label: 'events, c=32', value: events.requestsPerSecond, unit: 'req/s' },
      'events.c32.p99Ms': { label: 'events, c=32, p99', value: events.p99Ms, unit: 'ms' },
      'events.c1.p50Ms': { label: 'events, c=1, p50', value: sequential.p50, unit: 'ms' },
      'events.c1.p99Ms': { label: 'events, c=1, p99', value: sequential.p99, unit: 'ms' },
      failures: { label: 'failed requests', value: viewer.failures + events.failures, unit: '' },
    };
  } finally {
    for (const instance of instances) await instance.stop();
  }
}

/** 32 connections in all, split evenly over the instances, each connection one user's session on its own instance. */
async function runSplit(instances: GatewayProcess[], sessions: Array<{ url: string; token: string }>, body: string, seconds: number): Promise<LoadResult> {
  const results = await Promise.all(instances.map((instance) => {
    const own = sessions.filter((session) => session.url === instance.url);
    return runLoad({
      url: `${instance.url}/graphql`, method: 'POST', body,
      headersPerConnection: own.map((session) => ({ 'content-type': 'application/json', authorization: `Bearer ${session.token}` })),
    }, { connections: own.length, durationSeconds: seconds });
  }));
  const requests = results.reduce((sum, result) => sum + result.requests, 0);
  return {
    requestsPerSecond: results.reduce((sum, result) => sum + result.requestsPerSecond, 0),
    // The worse instance's p99 and p50: a load balancer's clients see both.
    p50Ms: Math.max(...results.map((result) => result.p50Ms)),
    p99Ms: Math.max(...results.map((result) => result.p99Ms)),
    requests,
    failures: results.reduce((sum, result) => sum + result.failures, 0),
  };
}

function averaged(mode: Mode, rounds: Figures[]): ResultRow[] {
  return Object.entries(rounds[0]).map(([name, first]) => {
    const values = rounds.map((figures) => figures[name].value);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const spread = values.length > 1 ? ` [${Math.round(Math.min(...values))}-${Math.round(Math.max(...values))}]` : '';
    return { key: `shared.${mode.key}.${name}`, label: `${mode.label}: ${first.label}${spread}`, value: mean, unit: first.unit };
  });
}

async function cleanUp(): Promise<void> {
  const postgres = new Client({ connectionString: POSTGRES_URL });
  await postgres.connect().then(async () => {
    for (const run of ['1', '2']) {
      for (const round of [0, 1]) await postgres.query(`DROP SCHEMA IF EXISTS "${schemaName}_${run}_${round}" CASCADE`);
    }
  }).catch(() => undefined).finally(() => postgres.end().catch(() => undefined));
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  for await (const keys of redis.scanStream({ match: `${redisKeyPrefix}*`, count: 500 })) {
    if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
  }
  redis.disconnect();
}

async function main(): Promise<void> {
  const isQuick = process.argv.includes('--quick');
  const options = { seconds: isQuick ? 3 : 10, samples: isQuick ? 200 : 1_000 };
  const rounds = isQuick ? 1 : 2;
  const measured = new Map<Mode, Figures[]>(MODES.map((mode) => [mode, []]));
  const environment = await startBenchEnvironment({ userCount: 0 });
  try {
    // Modes alternate (A B C, then C B A): on a machine others share, load that drifts over the run hits each alike.
    for (let round = 0; round < rounds; round += 1) {
      for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) {
        process.stderr.write(`round ${round + 1}/${rounds}: ${mode.label}\n`);
        measured.get(mode)!.push(await measureMode(environment, mode, round, options));
      }
    }
  } finally {
    closeGatewayAgent();
    await environment.close();
    await cleanUp();
  }
  const rows = MODES.flatMap((mode) => averaged(mode, measured.get(mode)!));
  process.stdout.write(`${renderTable(`Shared mode against embedded (mean of ${rounds} round(s), [min-max]; ${os.cpus().length} cores shared by gateways, sandbox, load and databases)`, rows)}\n`);
  const folder = resolve(REPOSITORY_ROOT, 'bench/results');
  mkdirSync(folder, { recursive: true });
  const machine = { cores: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim(), node: process.version };
  writeFileSync(join(folder, 'shared-mode.json'), `${JSON.stringify({ generatedAt: new Date().toISOString(), mode: isQuick ? 'quick' : 'full', machine, figures: toKeyedFigures(rows) }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
