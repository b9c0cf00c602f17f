// `npm run drill`: the reliability drills (soak, crash, restart), bounded in time and count, on loopback only.
import { renderChecks, type DrillCheck } from './drills/drill-support';
import { crashDrill } from './drills/crash';
import { restartDrill } from './drills/restart';
import { soakDrill } from './drills/soak';
import { startBenchEnvironment, type BenchEnvironment } from './support/bench-environment';
import { closeGatewayAgent } from './support/clients';

const CRASH_USERS = 12;
const RESTART_FIRST_USER = CRASH_USERS;
const SOAK_FIRST_USER = CRASH_USERS + 5;
const SOAK_USERS = 20;

async function main(): Promise<void> {
  const isQuick = process.argv.includes('--quick');
  const only = process.argv.find((argument) => argument.startsWith('--only='))?.slice('--only='.length);
  const checks: DrillCheck[] = [];
  let environment: BenchEnvironment | undefined;
  try {
    // Outlook's concurrency limit stays as Microsoft documents it; only the 10-minute quota is raised for the long soak.
    environment = await startBenchEnvironment({ userCount: SOAK_FIRST_USER + SOAK_USERS, throttle: { concurrentRequestsPerMailbox: 4, requestsPerWindow: 10_000_000, windowSeconds: 600 } });
    if (!only || only === 'restart') {
      log('restart drill');
      checks.push(...(await restartDrill(environment, RESTART_FIRST_USER)));
    }
    if (!only || only === 'crash') {
      log('crash drill');
      checks.push(...(await crashDrill(environment, { rounds: isQuick ? 1 : 3, users: CRASH_USERS, firstUserIndex: 0 })));
    }
    if (!only || only === 'soak') {
      const durationSeconds = isQuick ? 30 : 180;
      log(`soak drill (${durationSeconds} s)`);
      checks.push(...(await soakDrill(environment, { durationSeconds, warmup: isQuick ? { minSeconds: 10, maxSeconds: 30 } : { minSeconds: 120, maxSeconds: 180 }, firstUserIndex: SOAK_FIRST_USER, users: SOAK_USERS })));
    }
  } finally {
    closeGatewayAgent();
    await environment?.close();
  }
  process.stdout.write(`\nReliability drills (${isQuick ? 'quick' : 'full'})\n${renderChecks(checks)}\n`);
  const broken = checks.filter((each) => !each.held).length;
  process.stdout.write(`\n${checks.length - broken} held, ${broken} broken\n`);
}

function log(message: string): void {
  process.stderr.write(`[drill] ${message}\n`);
}

main().then(
  // Drills report what held; like the benchmark they never fail a test run.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`The drills could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
