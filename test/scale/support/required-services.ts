// Finds out, before suites are declared, whether Redis answers; skips plainly, or fails with REQUIRE_SERVICES=1.
// (PostgreSQL has the same in test/support/databases.ts: describeOnPostgres.)
import { execFileSync } from 'node:child_process';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// A TCP connect in a child process: jest declares suites synchronously, so the answer must be known before any await.
const PROBE = `
const socket = require('node:net').createConnection({ host: process.argv[1], port: Number(process.argv[2]) });
socket.setTimeout(1000, () => process.exit(1));
socket.once('connect', () => process.exit(0));
socket.once('error', () => process.exit(1));`;

/** Asked once per test worker. */
function isRedisReachable(): boolean {
  if (process.env.GW_TEST_REDIS !== 'up' && process.env.GW_TEST_REDIS !== 'down') {
    const { hostname, port } = new URL(REDIS_URL);
    let answers = false;
    try {
      execFileSync(process.execPath, ['-e', PROBE, hostname, port || '6379'], { stdio: 'ignore', timeout: 3_000 });
      answers = true;
    } catch {
      answers = false;
    }
    process.env.GW_TEST_REDIS = answers ? 'up' : 'down';
  }
  return process.env.GW_TEST_REDIS === 'up';
}

/** `describe` when Redis answers; otherwise `describe.skip` with a plain note, or a failing test under REQUIRE_SERVICES=1. */
export function describeWithRedis(title: string, body: () => void): void {
  if (isRedisReachable()) {
    describe(title, body);
    return;
  }
  if (process.env.REQUIRE_SERVICES === '1') {
    describe(title, () => {
      it('has Redis', () => {
        throw new Error(`Redis not reachable at ${REDIS_URL}, and REQUIRE_SERVICES=1 makes that a failure.`);
      });
    });
    return;
  }
  // Straight to stderr: jest drops console output of a file whose suites were all skipped.
  process.stderr.write(`Redis not reachable at ${REDIS_URL}: skipped the Redis suite "${title}" (start it, see docs/scaling.md; REQUIRE_SERVICES=1 makes this a failure).\n`);
  describe.skip(title, body);
}
