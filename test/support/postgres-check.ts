// jest globalSetup: asks PostgreSQL once per run whether it answers, for every suite's describeEachDatabase.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { POSTGRES_URL } from './databases';

export default async function checkPostgres(): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  let isReachable = false;
  try {
    await client.connect();
    await client.query('SELECT 1');
    isReachable = true;
  } catch {
    isReachable = false;
  } finally {
    await client.end().catch(() => undefined);
  }
  // Workers start after globalSetup and inherit its environment.
  process.env.GW_TEST_POSTGRES = isReachable ? 'up' : 'down';
  process.env.GW_TEST_SKIP_LOG = join(tmpdir(), `gw-postgres-skips-${process.pid}-${Date.now()}.log`);
}
