// pino logger with redaction of everything that could carry a credential.
import pino, { type DestinationStream, type Logger } from 'pino';

/** Paths whose values never reach a log line, wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-admin-token"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-admin-token"]',
  '*.authorization',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.idToken',
  '*.id_token',
  '*.sessionToken',
  '*.code',
  '*.code_verifier',
  '*.codeVerifier',
  '*.state',
  '*.clientSecret',
  '*.client_secret',
  '*.secret',
  '*.password',
  'variables',
  '*.variables',
  // The same names at the top level of a log object: '*.x' matches one level down only.
  'code',
  'state',
  'token',
  'accessToken',
  'refreshToken',
  'sessionToken',
  'clientSecret',
  'authorization',
  '*.token',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ms-graph-gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Asynchronous writes by default: a synchronous write per line cost about 9% of the CPU per request.
    destination ?? pino.destination({ sync: false, minLength: 4096 }),
  );
}

/** Writes out what the asynchronous destination still buffers; call before the process exits. */
export function flushLogger(logger: Logger): void {
  try {
    logger.flush();
  } catch {
    // Nothing more can be done about a log that cannot be written at exit.
  }
}
