// What every bench scenario receives: the sandbox, the running gateway, signed-in users and the run's sizes.
import type https from 'node:https';
import type { BenchEnvironment } from '../support/bench-environment';
import type { GatewayProcess } from '../support/gateway-process';

export interface BenchUser {
  email: string;
  /** Gateway session token. */
  sessionToken: string;
  /** Access token of the bench's own app, for the direct Graph floor. */
  directToken: string;
}

export interface BenchOptions {
  isQuick: boolean;
  /** Write a V8 CPU profile of the main gateway process to bench/results/profiles/. */
  isProfiling: boolean;
  /** Run one scenario only (overhead, framework, storm, store): for profiling; latest.json then holds a partial run. */
  only?: string;
  /** Sequential requests per side for the concurrency-1 latencies. */
  sequentialSamples: number;
  /**
   * Untimed rounds before them: a deployed gateway has run its hot paths countless times, and V8 optimizes a function
   * only after many calls; a cold start would be timed otherwise (docs/performance.md shows by how much).
   */
  sequentialWarmup: number;
  /** Seconds per autocannon run. */
  loadSeconds: number;
  frameworkConnections: number;
  /** Rounds of the framework comparison (one run per target each). */
  frameworkRounds: number;
  stormUsers: number;
  stormQueriesPerUser: number;
  storeConnections: number;
}

export function benchOptions(argv: readonly string[]): BenchOptions {
  const isQuick = argv.includes('--quick');
  return {
    isQuick,
    isProfiling: argv.includes('--cpu-prof'),
    only: argv.find((argument) => argument.startsWith('--only='))?.slice('--only='.length),
    sequentialSamples: isQuick ? 300 : 2_000,
    sequentialWarmup: 1_000,
    loadSeconds: isQuick ? 3 : 10,
    frameworkConnections: 32,
    frameworkRounds: 3,
    stormUsers: 50,
    stormQueriesPerUser: 10,
    storeConnections: isQuick ? 20_000 : 100_000,
  };
}

export interface BenchContext {
  environment: BenchEnvironment;
  gateway: GatewayProcess;
  sandboxAgent: https.Agent;
  users: BenchUser[];
  window: { start: Date; end: Date };
  options: BenchOptions;
}
