// Figure 2 for several gateway variants at once: each variant is its own gateway process (a build, or environment
// overrides), measured beside the bare Apollo Server in rounds of one run per target in turn; medians per target.
// Identical processes differ in requests/s (docs/performance.md gives the spread), so compare variants with several
// processes each:
//   node -r ./bench/register.js bench/experiments/framework-ab.ts "a1=;b1=LOG_LEVEL:warn;a2=;b2=LOG_LEVEL:warn" [rounds] [seconds]
// A variant is name=KEY:value,KEY:value; SCRIPT:<path> runs another build (a copy of dist/ inside the repository), and
// PROF:<dir> writes a CPU profile; RATE_LIMITS:off turns the (raised) rate limits off. ONLY=anon or ONLY=auth keeps
// one of the two viewer targets; BAREPROF=<dir> profiles the bare server.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { benchUserEmail, startBenchEnvironment } from '../support/bench-environment';
import { closeGatewayAgent, sandboxAgent, signInThroughGateway } from '../support/clients';
import { freePort, GATEWAY_NODE_FLAGS, startGatewayProcess, TYPESCRIPT_NODE_ARGUMENTS, type GatewayProcess } from '../support/gateway-process';
import { runLoad } from '../support/load';

interface Variant {
  name: string;
  env: Record<string, string>;
}

interface Target {
  name: string;
  process: GatewayProcess;
  query: string;
  token?: string;
}

function parseVariants(spec: string): Variant[] {
  return spec.split(';').map((entry) => {
    const [name, settings = ''] = splitOnce(entry, '=');
    return { name, env: Object.fromEntries(settings.split(',').filter(Boolean).map((pair) => splitOnce(pair, ':'))) };
  });
}

/** Values may hold the separator themselves (RATE_LIMITS:viewer=1000000/60). */
function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}

const profileFlags = (dir: string | undefined) => (dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const variants = parseVariants(process.argv[2] ?? 'gateway=');
  const rounds = Number(process.argv[3] ?? 5);
  const seconds = Number(process.argv[4] ?? 2);
  const environment = await startBenchEnvironment({ userCount: 1 });
  const agent = sandboxAgent(environment.sandbox);
  const processes: GatewayProcess[] = [];
  try {
    const barePort = await freePort();
    const bare = await startGatewayProcess({
      env: { NODE_ENV: 'production' }, port: barePort, logFile: join(environment.workDir, 'bare.log'),
      nodeArguments: [...GATEWAY_NODE_FLAGS, ...profileFlags(process.env.BAREPROF), ...TYPESCRIPT_NODE_ARGUMENTS, resolve(__dirname, '../support/bare-apollo-server.ts')],
    });
    processes.push(bare);
    const targets: Target[] = [{ name: 'bare', process: bare, query: '{ viewer }' }];
    for (const variant of variants) {
      const port = await freePort();
      const { SCRIPT: script = 'dist/main.js', PROF: profileDir, ...overrides } = variant.env;
      const gateway = await startGatewayProcess({
        env: { ...environment.gatewayEnv(port, join(environment.workDir, `${variant.name}.db`), {}), ...overrides },
        port, logFile: join(environment.workDir, `${variant.name}.log`),
        nodeArguments: [...GATEWAY_NODE_FLAGS, ...profileFlags(profileDir), script],
      });
      processes.push(gateway);
      const token = await signInThroughGateway(gateway.url, agent, benchUserEmail(0));
      if (process.env.ONLY !== 'auth') targets.push({ name: `${variant.name}/anon`, process: gateway, query: '{ viewer { id } }' });
      if (process.env.ONLY !== 'anon') targets.push({ name: `${variant.name}/auth`, process: gateway, query: '{ viewer { id displayName email } }', token });
    }
    if (process.env.PIN) {
      // Servers on CPU 1, this process (load generator) on CPU 0.
      for (const each of processes) execFileSync('taskset', ['-a', '-cp', '1', String(each.pid)]);
      execFileSync('taskset', ['-a', '-cp', '0', String(process.pid)]);
    }
    const load = (target: Target, durationSeconds: number) => runLoad({
      url: `${target.process.url}/graphql`, method: 'POST', body: JSON.stringify({ query: target.query }),
      headersPerConnection: [{ 'content-type': 'application/json', ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) }],
    }, { connections: 32, durationSeconds });
    for (const target of targets) await load(target, 1);
    const results = new Map<string, Array<{ rps: number; cpuMicroseconds: number }>>();
    for (let round = 0; round < rounds; round += 1) {
      for (const target of targets) {
        const cpuBefore = target.process.cpuMs();
        const result = await load(target, seconds);
        const cpuMicroseconds = ((target.process.cpuMs() - cpuBefore) / result.requests) * 1000;
        results.set(target.name, [...(results.get(target.name) ?? []), { rps: result.requestsPerSecond, cpuMicroseconds }]);
      }
    }
    const bareRps = median(results.get('bare')!.map((run) => run.rps));
    for (const [name, runs] of results) {
      const rps = median(runs.map((run) => run.rps));
      const cpu = runs.map((run) => run.cpuMicroseconds.toFixed(0)).join(' ');
      console.log(`${name.padEnd(16)} ${rps.toFixed(0).padStart(6)} req/s  ratio ${(rps / bareRps).toFixed(2)}  CPU µs per request ${median(runs.map((run) => run.cpuMicroseconds)).toFixed(0)} [${cpu}]`);
    }
  } finally {
    agent.destroy();
    closeGatewayAgent();
    for (const each of processes) await each.stop();
    await environment.close();
  }
}

main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
