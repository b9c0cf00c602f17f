// The log's backstop against credentials: values under credential-named keys never reach a line, 8 levels deep.

export const CENSORED = '[redacted]';

/** Key names (lower case) whose values are censored wherever they appear in a log object. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'authorization', 'cookie', 'set-cookie', 'x-admin-token',
  'token', 'accesstoken', 'access_token', 'refreshtoken', 'refresh_token', 'idtoken', 'id_token', 'sessiontoken',
  'code', 'code_verifier', 'codeverifier', 'state', 'completionsecret', 'completion_secret', 'browsersecret',
  'clientsecret', 'client_secret', 'secret', 'password',
  'variables',
]);

/** Deeper than any log object of ours; a cycle or a huge structure stops here. */
const MAX_DEPTH = 8;

/** Each key name's verdict, so a line's usual keys are not lower-cased again on every line (bounded: names could vary). */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 1_000;

function isSecretKey(key: string): boolean {
  let isSecret = verdicts.get(key);
  if (isSecret === undefined) {
    isSecret = SECRET_KEYS.has(key.toLowerCase());
    if (verdicts.size < MAX_VERDICTS) verdicts.set(key, isSecret);
  }
  return isSecret;
}

/** The log object with secret-named values censored; the same object when there is nothing to censor. */
export function censorSecrets(object: Record<string, unknown>): Record<string, unknown> {
  return censorValue(object, 0) as Record<string, unknown>;
}

function censorValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || value instanceof Date || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const censored = censorValue(item, depth + 1);
      if (censored !== item) (copy ??= [...value])[index] = censored;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const censored = isSecretKey(key) ? CENSORED : censorValue(item, depth + 1);
    if (censored !== item) (copy ??= copyOf(record))[key] = censored;
  }
  return copy ?? value;
}

/** A shallow copy that stays what it was: an Error keeps its class, message and stack for pino's serializer. */
function copyOf(record: Record<string, unknown>): Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(record);
  if (prototype === Object.prototype || prototype === null) return { ...record };
  return Object.create(prototype as object, Object.getOwnPropertyDescriptors(record)) as Record<string, unknown>;
}
