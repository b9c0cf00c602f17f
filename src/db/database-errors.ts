// What a database failure may say to an operator: the driver's reason, never the statement or its parameters.
/**
 * drizzle wraps driver errors in a DrizzleQueryError whose message is the whole statement with its parameters
 * (encrypted token caches, hashes, e-mail addresses); the driver's own error, its cause, says what went wrong.
 * Recognised by shape: its `name` is plain "Error", and errors may come from another realm (jest) or module copy.
 */
export function describeDatabaseError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const failed = error as { message?: unknown; cause?: { message?: unknown } };
  if ('params' in failed) return typeof failed.cause?.message === 'string' ? failed.cause.message : 'a database statement failed';
  return typeof failed.message === 'string' ? failed.message : 'unknown error';
}
