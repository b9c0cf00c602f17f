// A real round trip to the database, timed, for health checks.
export interface DatabaseProbe {
  /** Resolves with the round-trip latency in milliseconds; rejects when the database does not answer. */
  ping(): Promise<number>;
}

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
