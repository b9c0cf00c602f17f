// pino logger with redaction of everything that could carry a credential.
import pino, { type DestinationStream, type Logger } from 'pino';
import { censorSecrets } from './censor-secrets';

/** How late a buffered line may reach the log when traffic is too light to fill a batch. */
const FLUSH_INTERVAL_MS = 1_000;
const BATCH_CHARACTERS = 4_096;

/** JSON lines for machines (the default, and always in production); pretty, coloured lines for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

/** Pretty only in development with stdout on a terminal: pipes, files and log collectors get JSON. */
export function chooseLogFormat(output: { nodeEnv: string; isTerminal: boolean }): LogFormat {
  return output.nodeEnv === 'development' && output.isTerminal ? 'pretty' : 'json';
}

export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'json'): Logger {
  if (format === 'pretty') destination = prettyStream(destination);
  return pino(
    {
      level,
      base: { service: 'ms-graph-gateway' },
      // pino's own path redaction rebuilds every line against many wildcard paths, a large share of a small
      // request (docs/performance.md); censorSecrets checks key names and copies only what it censors.
      // pino does not pass a child logger's bindings through formatters: request data goes in log objects, never in
      // logger.child() bindings.
      formatters: { log: censorSecrets },
      timestamp: isoTimeByMillisecond(),
    },
    destination ?? bufferedStdout(),
  );
}

/**
 * Lines are gathered here and written in batches of about 4 kB, one synchronous write per batch: a synchronous write
 * per line is a large share of a small request, and a batch written at once leaves nothing in flight when the process
 * exits (asynchronous batches were no faster). Gathered here rather than with sonic-boom's own minLength: on every
 * write sonic-boom measures the UTF-8 length of all it already buffers (Buffer.byteLength of a growing string,
 * flattened anew each time). The measurements are in docs/performance.md. A batch waits at most FLUSH_INTERVAL_MS,
 * and what is gathered is written when the process exits.
 */
function bufferedStdout(): DestinationStream {
  const stream = pino.destination({ sync: true });
  let lines: string[] = [];
  let batchLength = 0;
  const writeBatch = () => {
    if (lines.length === 0) return;
    const batch = lines.join('');
    lines = [];
    batchLength = 0;
    stream.write(batch);
  };
  setInterval(writeBatch, FLUSH_INTERVAL_MS).unref();
  process.once('exit', () => {
    try {
      writeBatch();
    } catch {
      // Nothing more can be done about a log that cannot be written at exit.
    }
  });
  return {
    write(line: string) {
      lines.push(line);
      batchLength += line.length;
      if (batchLength >= BATCH_CHARACTERS) writeBatch();
      return true;
    },
    // Batches are written synchronously: once gathered lines are out, nothing is pending.
    flush: (callback?: (error?: Error) => void) => {
      let failure: Error | undefined;
      try {
        writeBatch();
      } catch (error) {
        failure = error as Error;
      }
      callback?.(failure);
    },
    flushSync: writeBatch,
  } as DestinationStream;
}

/**
 * pino-pretty, required only here: JSON deployments never load it. Writes synchronously (to stdout unless told
 * otherwise), so nothing is pending at exit; a terminal is read by a person, and throughput matters less there.
 */
function prettyStream(destination?: DestinationStream): DestinationStream {
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty({
    destination: destination ?? 1,
    sync: true,
    colorize: destination === undefined,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
  });
}

/** pino's ISO `time` field, formatted once per millisecond: lines written in the same millisecond share it. */
function isoTimeByMillisecond(): () => string {
  let formattedAt = -1;
  let field = '';
  return () => {
    const now = Date.now();
    if (now !== formattedAt) {
      formattedAt = now;
      field = `,"time":"${new Date(now).toISOString()}"`;
    }
    return field;
  };
}

/** Writes out the lines still gathered in a batch (the default destination also does so at exit); call before exiting. */
export function flushLogger(logger: Logger): void {
  try {
    logger.flush();
  } catch {
    // Nothing more can be done about a log that cannot be written at exit.
  }
}
