// A real round trip to the database, timed, for health checks.
export interface DatabaseProbe {
  /** Resolves with the round-trip latency in milliseconds; rejects when the database does not answer. */
  ping(): Promise<number>;
}

/** Longer than any healthy round trip, shorter than a load balancer's health-check timeout. */
const POSTGRES_PING_TIMEOUT_MS = 2_000;

export function sqliteProbe(sqlite: { prepare(sql: string): { get(): unknown } }): DatabaseProbe {
  const statementText = 'SELECT count(*) AS n FROM sqlite_master';
  return {
    async ping() {
      const started = process.hrtime.bigint();
      sqlite.prepare(statementText).get();
      return Number(process.hrtime.bigint() - started) / 1e6;
    },
  };
}

export function postgresProbe(pool: { query(sql: string): Promise<unknown> }): DatabaseProbe {
  return {
    async ping() {
      const started = process.hrtime.bigint();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the database did not answer in time')), POSTGRES_PING_TIMEOUT_MS);
      });
      try {
        // A pool with no free connection waits for one: that wait counts, as a request would feel it.
        const query = pool.query('SELECT 1');
        // A late failure after the timeout won must not become an unhandled rejection.
        query.catch(() => undefined);
        await Promise.race([query, timeout]);
      } finally {
        clearTimeout(timer);
      }
      return Number(process.hrtime.bigint() - started) / 1e6;
    },
  };
}
