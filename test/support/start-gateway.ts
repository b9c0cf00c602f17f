// Starts a gateway on a random port for a test, and closes it afterwards even when start-up failed.
import { Writable } from 'node:stream';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/app';
import { createLogger } from '../../src/logging/logger';
import { startSandbox, type Sandbox } from '../../src/sandbox';
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
  // The production logger (its redaction included), writing to memory.
  const logger = createLogger('debug', sink);
  const gateway = await startGateway(testConfig(env), { logger, ...options });
  return Object.assign(gateway, { logLines });
}

export interface SandboxedGateway {
  sandbox: Sandbox;
  gateway: StartedGateway;
}

/** A fresh sandbox and a gateway pointed at it (rate limits off); the sandbox is closed again if the gateway fails to start. */
export async function startSandboxedGateway(databaseUrl: string, env: Record<string, string> = {}): Promise<SandboxedGateway> {
  const sandbox = await startSandbox({ quiet: true });
  try {
    const gateway = await startTestGateway({ SANDBOX: 'on', RATE_LIMITS: 'off', DATABASE_URL: databaseUrl, ...env }, { sandbox });
    return { sandbox, gateway };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

/** Closes what startSandboxedGateway started (whatever of it did start), then drops the test database's schemas. */
export async function stopSandboxedGateway(started: Partial<SandboxedGateway>, target: { dropAll(): Promise<void> }): Promise<void> {
  await started.gateway?.close();
  await started.sandbox?.close();
  await target.dropAll();
}
