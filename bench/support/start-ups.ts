// Start-up samples: the gateway started (and stopped) several times, each on a fresh database. One start is a draw from
// a wide spread on a virtual machine (docs/performance.md); a median is a figure.
import { join } from 'node:path';
import { percentile } from './stats';
import { freePort, startGatewayProcess } from './gateway-process';

export interface StartUpSamples {
  medianMs: number;
  minMs: number;
  maxMs: number;
  samplesMs: number[];
}

export function summarizeStartUps(samplesMs: number[]): StartUpSamples {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { medianMs: percentile(sorted, 0.5), minMs: sorted[0], maxMs: sorted[sorted.length - 1], samplesMs };
}

/** `env(port, databaseFile)`: the gateway's environment for a start on that port and (new) database file. */
export async function timeStartUp(options: {
  env: (port: number, databaseFile: string) => Record<string, string>;
  workDir: string;
  name: string;
  nodeArguments?: string[];
}): Promise<number> {
  const port = await freePort();
  const gateway = await startGatewayProcess({
    env: options.env(port, join(options.workDir, `${options.name}.db`)),
    port,
    logFile: join(options.workDir, 'start-ups.log'),
    nodeArguments: options.nodeArguments,
  });
  await gateway.stop();
  return gateway.startupMs;
}
