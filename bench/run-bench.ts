// `npm run bench`: the gateway in production mode against the sandbox, measured side by side with its floors.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { benchOptions, type BenchContext, type BenchUser } from './scenarios/context';
import { measureRefreshStorm } from './scenarios/refresh-storm';
import { measureStoreScale } from './scenarios/store-scale';
import { measureFrameworkOverhead, measureGatewayOverhead } from './scenarios/throughput';
import { benchUserEmail, RAISED_RATE_LIMIT, RAISED_THROTTLE, startBenchEnvironment, type BenchEnvironment } from './support/bench-environment';
import { closeGatewayAgent, directAccessToken, mapWithConcurrency, sandboxAgent, signInThroughGateway } from './support/clients';
import { freePort, GATEWAY_NODE_FLAGS, REPOSITORY_ROOT, startGatewayProcess, type GatewayProcess } from './support/gateway-process';
import { summarizeStartUps, timeStartUp, type StartUpSamples } from './support/start-ups';
import { renderTable, toKeyedFigures, type ResultRow } from './support/stats';

const OVERHEAD_SESSIONS = 32;

async function main(): Promise<void> {
  const options = benchOptions(process.argv.slice(2));
  const startedAt = performance.now();
  const rows: ResultRow[] = [];
  let environment: BenchEnvironment | undefined;
  let gateway: GatewayProcess | undefined;
  try {
    environment = await startBenchEnvironment({ userCount: options.stormUsers + OVERHEAD_SESSIONS });
    const startUps: number[] = [];
    for (let index = 0; index < (options.isQuick ? 2 : 4); index += 1) {
      startUps.push(await timeStartUp({ env: (port, file) => environment!.gatewayEnv(port, file), workDir: environment.workDir, name: `start-up-${index}` }));
    }
    const port = await freePort();
    gateway = await startGatewayProcess({
      env: environment.gatewayEnv(port, join(environment.workDir, 'gateway.db')), port, logFile: join(environment.workDir, 'gateway.log'),
      nodeArguments: options.isProfiling
        ? [...GATEWAY_NODE_FLAGS, '--cpu-prof', `--cpu-prof-dir=${resolve(REPOSITORY_ROOT, 'bench/results/profiles')}`, resolve(REPOSITORY_ROOT, 'dist/main.js')]
        : undefined,
    });
    // A profiled start is slower: it is not a sample then.
    rows.push(...startUpRows(summarizeStartUps(options.isProfiling ? startUps : [...startUps, gateway.startupMs])));
    const agent = sandboxAgent(environment.sandbox);
    const window = benchWindow();
    const users = await prepareUsers(environment, gateway, agent, options.stormUsers);
    const context: BenchContext = { environment, gateway, sandboxAgent: agent, users, window, options };
    const runs = (name: string) => !options.only || options.only === name;
    log('1/4 gateway overhead');
    if (runs('overhead')) await measureGatewayOverhead(context, rows);
    log('2/4 framework overhead');
    if (runs('framework')) await measureFrameworkOverhead(context, rows);
    log('3/4 refresh storm');
    if (runs('storm')) await measureRefreshStorm(context, rows, 0);
    const residentMb = gateway.residentMemoryMb();
    rows.push({ key: 'memory.residentMb', label: 'gateway resident memory after the runs', value: residentMb, unit: 'MB', target: '< 200 MB', meetsTarget: residentMb < 200 });
    rows.push(...(await heapRows(gateway.url)));
    await gateway.stop();
    gateway = undefined;
    log('4/4 store scale');
    if (runs('store')) await measureStoreScale(context, rows);
    agent.destroy();
    rows.push({ key: 'run.seconds', label: 'bench run time', value: (performance.now() - startedAt) / 1000, unit: 's' });
    report(rows, options.isQuick);
  } finally {
    await gateway?.kill();
    closeGatewayAgent();
    await environment?.close();
  }
}

/** Figure 5's start-up: the median of several starts on empty databases, the last of them the gateway measured next. */
function startUpRows(startUps: StartUpSamples): ResultRow[] {
  return [
    { key: 'startup.ms', label: 'start-up: process start to first /healthz 200', value: startUps.medianMs, unit: 'ms', target: '< 1500 ms', meetsTarget: startUps.medianMs < 1500 },
    { key: 'startup.samples', label: 'start-up: samples (median shown), fastest, slowest', value: `${startUps.samplesMs.length}, ${Math.round(startUps.minMs)}, ${Math.round(startUps.maxMs)} ms` },
  ];
}

function benchWindow(): { start: Date; end: Date } {
  // The demo mailboxes hold events around the day the sandbox starts.
  const start = new Date();
  start.setUTCHours(0, 0, 0, 0);
  start.setUTCDate(start.getUTCDate() - 3);
  return { start, end: new Date(start.getTime() + 7 * 86_400_000) };
}

/**
 * 32 users with a mailbox each (bench users after the storm's), each signed in through the gateway and holding a
 * direct Graph token of the bench's own app for the floor.
 */
async function prepareUsers(environment: BenchEnvironment, gateway: GatewayProcess, agent: ReturnType<typeof sandboxAgent>, firstUserIndex: number): Promise<BenchUser[]> {
  const emails = Array.from({ length: OVERHEAD_SESSIONS }, (_, index) => benchUserEmail(firstUserIndex + index));
  return mapWithConcurrency(emails, 8, async (email) => ({
    email,
    sessionToken: await signInThroughGateway(gateway.url, agent, email),
    directToken: await directAccessToken(environment.sandbox, agent, environment.directSecret, email),
  }));
}

/** The gateway's own view of its memory (prom-client's default metrics on /metrics): how much of the RSS is live heap. */
async function heapRows(gatewayUrl: string): Promise<ResultRow[]> {
  try {
    const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
    const megabytes = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, 'm').exec(text)?.[1]) / (1024 * 1024);
    return [
      { key: 'memory.heapUsedMb', label: 'gateway V8 heap used after the runs', value: megabytes('nodejs_heap_size_used_bytes'), unit: 'MB' },
      { key: 'memory.heapTotalMb', label: 'gateway V8 heap reserved after the runs', value: megabytes('nodejs_heap_size_total_bytes'), unit: 'MB' },
      { key: 'memory.externalMb', label: 'gateway external memory (buffers) after the runs', value: megabytes('nodejs_external_memory_bytes'), unit: 'MB' },
    ];
  } catch {
    return [];
  }
}

function report(rows: ResultRow[], isQuick: boolean): void {
  const machine = {
    cores: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version,
    platform: `${os.platform()} ${os.release()}`, totalMemoryGb: Math.round(os.totalmem() / 1024 ** 3),
    loadAverageAtEnd: Number(os.loadavg()[0].toFixed(2)),
  };
  const title = [
    `ms-graph-gateway benchmark (${isQuick ? 'quick' : 'full'} run) on ${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, load average ${machine.loadAverageAtEnd} at the end`,
    `Gateway in NODE_ENV=production with npm start's Node flags (${GATEWAY_NODE_FLAGS.join(' ') || 'none'}), rate limits on and raised to ${RAISED_RATE_LIMIT.limit} per ${RAISED_RATE_LIMIT.durationSeconds} s per caller and field; sandbox throttles raised to ${RAISED_THROTTLE.concurrentRequestsPerMailbox} concurrent and ${RAISED_THROTTLE.requestsPerWindow} per ${RAISED_THROTTLE.windowSeconds} s per mailbox.`,
    'Load generator, sandbox and gateway share this machine (the sandbox runs in the bench process, the gateway in its own).',
  ].join('\n');
  process.stdout.write(`\n${renderTable(title, rows)}\n`);
  const resultsFolder = resolve(REPOSITORY_ROOT, 'bench/results');
  mkdirSync(resultsFolder, { recursive: true });
  const document = {
    generatedAt: new Date().toISOString(), mode: isQuick ? 'quick' : 'full', machine,
    limitsRaised: { gatewayRateLimits: { perCallerAndField: RAISED_RATE_LIMIT }, sandboxThrottle: RAISED_THROTTLE },
    gatewayNodeFlags: GATEWAY_NODE_FLAGS,
    figures: toKeyedFigures(rows),
    targets: Object.fromEntries(rows.filter((row) => row.target).map((row) => [row.key, { target: row.target, met: row.meetsTarget }])),
  };
  writeFileSync(join(resultsFolder, 'latest.json'), `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`\nWrote bench/results/latest.json\n`);
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

main().then(
  // Benchmarks report; they never fail a run over a missed target.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`The benchmark could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
