// What a database failure may say to an operator: the driver's reason, never the statement or its parameters.
/**
 * drizzle wraps driver errors in a DrizzleQueryError whose message is the whole statement with its parameters
 * (encrypted token caches, hashes, e-mail addresses); the driver's own error, its cause, says what went wrong.
 * Recognised by shape: its `name` is plain "Error", and errors may come from another realm (jest) or module copy.
 */
/** PostgreSQL's SQLSTATE codes that operators meet most (SQLite's codes already read as words). */
const POSTGRES_CODE_NAMES: Record<string, string> = {
  '23505': 'unique_violation',
  '23503': 'foreign_key_violation',
  '57014': 'query_canceled (statement timeout)',
  '40P01': 'deadlock_detected',
  '53300': 'too_many_connections',
};

export function describeDatabaseError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const failed = error as { message?: unknown; cause?: { code?: unknown; constraint?: unknown } };
  // The driver's code and constraint name, not its message: PostgreSQL quotes offending values in messages.
  if ('params' in failed) {
    const code = typeof failed.cause?.code === 'string' ? (POSTGRES_CODE_NAMES[failed.cause.code] ?? failed.cause.code) : undefined;
    const details = [code, failed.cause?.constraint].filter((part) => typeof part === 'string');
    return details.length > 0 ? `a database statement failed (${details.join(', ')})` : 'a database statement failed';
  }
  return typeof failed.message === 'string' ? failed.message : 'unknown error';
}
