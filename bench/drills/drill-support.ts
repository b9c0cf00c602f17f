// Shared pieces of the reliability drills: what each drill checked, the contract's error codes, and a gateway on a file.
import { join } from 'node:path';
import type { BenchEnvironment } from '../support/bench-environment';
import { freePort, startGatewayProcess, type GatewayProcess } from '../support/gateway-process';

export interface DrillCheck {
  drill: string;
  /** What was tried and what must hold, in one sentence. */
  check: string;
  held: boolean;
  detail: string;
}

/** The codes of docs/errors.md, plus GraphQL-over-HTTP's own for a malformed request. */
export const DOCUMENTED_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'RATE_LIMITED', 'QUERY_TOO_COMPLEX', 'CHANNEL_DISABLED', 'SIGN_IN_FAILED',
  'MICROSOFT_NOT_CONNECTED', 'RECONNECT_REQUIRED', 'NOT_FOUND', 'UPSTREAM_THROTTLED', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_REJECTED',
  'INTERNAL_SERVER_ERROR',
]);

export function check(drill: string, description: string, held: boolean, detail: string): DrillCheck {
  return { drill, check: description, held, detail };
}

/** A gateway child on a database file that outlives it (the crash and restart drills reopen the same file). */
export async function startDrillGateway(
  environment: BenchEnvironment, databaseFile: string, name: string, extraEnv: Record<string, string> = {}, port?: number,
): Promise<GatewayProcess> {
  const chosenPort = port ?? (await freePort());
  return startGatewayProcess({
    env: environment.gatewayEnv(chosenPort, databaseFile, extraEnv), port: chosenPort, logFile: join(environment.workDir, `${name}.log`),
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

export function renderChecks(checks: readonly DrillCheck[]): string {
  return checks.map((each) => `${each.held ? 'HELD  ' : 'BROKEN'}  [${each.drill}] ${each.check}\n        ${each.detail}`).join('\n');
}
