// Concurrency-1 round trips of the cheapest queries: the gateway's anonymous viewer beside the bare Apollo floor.
import { join, resolve } from 'node:path';
import { startBenchEnvironment } from '../support/bench-environment';
import { freePort, startGatewayProcess, TYPESCRIPT_NODE_ARGUMENTS } from '../support/gateway-process';
import { sampleInTurn } from '../support/latency-client';

async function main(): Promise<void> {
  const environment = await startBenchEnvironment({ userCount: 1 });
  const port = await freePort();
  const gateway = await startGatewayProcess({ env: environment.gatewayEnv(port, join(environment.workDir, 'g.db'), Object.fromEntries((process.env.PROBE_ENV ?? '').split(',').filter(Boolean).map((p) => p.split('=')))), port, logFile: join(environment.workDir, 'g.log') });
  const barePort = await freePort();
  const bare = await startGatewayProcess({ env: { NODE_ENV: 'production' }, port: barePort, logFile: join(environment.workDir, 'b.log'), nodeArguments: [...TYPESCRIPT_NODE_ARGUMENTS, resolve(__dirname, '../support/bare-apollo-server.ts')] });
  try {
    for (let round = 0; round < 3; round += 1) {
      const [viaGateway, floor] = await sampleInTurn([
        { kind: 'graphql', url: gateway.url, query: '{ viewer { id } }' },
        { kind: 'graphql', url: bare.url, query: '{ viewer }' },
      ], 1000);
      console.log(`gateway anonymous viewer p50 ${viaGateway.p50.toFixed(3)} ms, bare p50 ${floor.p50.toFixed(3)} ms`);
    }
  } finally {
    await bare.stop();
    await gateway.stop();
    await environment.close();
  }
}
main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
