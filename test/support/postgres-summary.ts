// jest globalTeardown: says plainly, once, how many PostgreSQL suites were skipped because PostgreSQL did not answer.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { POSTGRES_LOCATION } from './databases';

export default async function summarizePostgresSkips(): Promise<void> {
  const log = process.env.GW_TEST_SKIP_LOG;
  if (!log || !existsSync(log)) return;
  const skipped = readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
  rmSync(log, { force: true });
  process.stdout.write(
    `\nPostgreSQL not reachable at ${POSTGRES_LOCATION}: skipped ${skipped} PostgreSQL suites (start it, see docs/scaling.md; REQUIRE_SERVICES=1 makes this a failure).\n`,
  );
}
