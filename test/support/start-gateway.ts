// Starts a gateway on a random port for a test, and closes it afterwards even when start-up failed.
import { Writable } from 'node:stream';
import pino from 'pino';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/app';
import { REDACTED_PATHS } from '../../src/logging/logger';
import { testConfig } from './test-config';

export interface StartedGateway extends Gateway {
  /** Every log line the gateway wrote, for tests that look for leaked secrets. */
  logLines: string[];
}

export async function startTestGateway(env: Record<string, string> = {}, options: GatewayOptions = {}): Promise<StartedGateway> {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
  const gateway = await startGateway(testConfig(env), { logger, ...options });
  return Object.assign(gateway, { logLines });
}
