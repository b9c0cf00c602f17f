// npm run sessions:revoke -- --all | --user ID: ends sessions at once (SQLite or PostgreSQL), and with REDIS_URL on every running instance.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config';
import { openDatabase } from '../db/database';
import { describeDatabaseError } from '../db/database-errors';
import { createLogger } from '../logging/logger';
import { createScaleOut } from '../scale/scale-out';
import { buildRepositories } from '../services';
import { sessionTokenHasher } from '../sessions/session-token-hash';
import { SessionService } from '../sessions/sessions.service';

const USAGE = 'usage: npm run sessions:revoke -- --all | --user USER_ID';

class UsageError extends Error {}

/** Exactly one of --all or --user ID: revoking everyone must never be what a typo falls back to. */
function parseTarget(args: string[]): { userId?: string } {
  let values: { all?: boolean; user?: string };
  try {
    ({ values } = parseArgs({ args, options: { all: { type: 'boolean' }, user: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch {
    throw new UsageError();
  }
  if (Boolean(values.all) === Boolean(values.user)) throw new UsageError();
  return values.all ? {} : { userId: values.user!.trim() };
}

async function main(): Promise<void> {
  const { userId } = parseTarget(process.argv.slice(2));
  const config = loadConfig();
  // Warnings (Redis unreachable) go to stderr; stdout carries the one result line.
  const logger = createLogger(config.logLevel, process.stderr);
  const database = await openDatabase(config.databaseUrl);
  const scaleOut = createScaleOut(config, logger);
  const sessions = new SessionService((await buildRepositories(database)).sessions, {
    ttlSeconds: config.sessionTtlSeconds,
    hashToken: sessionTokenHasher(config.secretKey),
    invalidations: scaleOut?.invalidations,
  });
  try {
    // Running instances keep sessions in memory for seconds; the invalidation makes them drop those at once.
    if (scaleOut && !(await scaleOut.redis.whenReady(3_000))) logger.warn('Redis did not answer: running instances drop the revoked sessions from memory within seconds');
    const revoked = userId === undefined ? await sessions.revokeEveryone() : await sessions.revokeAllOfUser(userId);
    process.stdout.write(`revoked ${revoked} session(s)${userId === undefined ? '' : ` of user ${userId}`}\n`);
  } finally {
    await sessions.stop();
    await scaleOut?.close();
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 1;
    return;
  }
  // The driver's reason only: drizzle's message carries the statement and its parameters.
  process.stderr.write(`revoking sessions failed: ${describeDatabaseError(error)}\n`);
  process.exitCode = 1;
});
