// Figure 1's concurrency-1 sampling, repeated on one gateway process: how much of the added latency is a cold JIT,
// and whether taking turns per request or per block of requests changes it.
// node -r ./bench/register.js bench/experiments/c1-warmup.ts [block sizes, e.g. 1,1,1,10,100]
// Each entry is one sampling of 1,000 requests per side after 100 untimed rounds, with that many requests per turn.
import { join } from 'node:path';
import { benchUserEmail, startBenchEnvironment } from '../support/bench-environment';
import { closeGatewayAgent, directAccessToken, sandboxAgent, signInThroughGateway } from '../support/clients';
import { freePort, GATEWAY_NODE_FLAGS, startGatewayProcess } from '../support/gateway-process';
import { sampleInTurn } from '../support/latency-client';
import { directCalendarViewUrl, EVENTS_QUERY } from '../scenarios/throughput';

async function main(): Promise<void> {
  const blockSizes = (process.argv[2] ?? '1,1,1,10,100').split(',').map(Number);
  const environment = await startBenchEnvironment({ userCount: 1 });
  const port = await freePort();
  const gateway = await startGatewayProcess({
    env: environment.gatewayEnv(port, join(environment.workDir, 'g.db')), port, logFile: join(environment.workDir, 'g.log'),
    nodeArguments: [...GATEWAY_NODE_FLAGS, 'dist/main.js'],
  });
  const agent = sandboxAgent(environment.sandbox);
  try {
    const email = benchUserEmail(0);
    const session = await signInThroughGateway(gateway.url, agent, email);
    const direct = await directAccessToken(environment.sandbox, agent, environment.directSecret, email);
    const start = new Date();
    start.setUTCHours(0, 0, 0, 0);
    start.setUTCDate(start.getUTCDate() - 3);
    const window = { start, end: new Date(start.getTime() + 7 * 86_400_000) };
    const targets = [
      { kind: 'graphql' as const, url: gateway.url, query: EVENTS_QUERY, variables: { start: window.start.toISOString(), end: window.end.toISOString() }, token: session },
      {
        kind: 'https' as const, url: directCalendarViewUrl(environment.sandbox.graphBaseUrl, window),
        headers: { authorization: `Bearer ${direct}`, prefer: 'outlook.timezone="UTC"' }, caPem: environment.sandbox.caCertificatePem,
      },
    ];
    for (const blockSize of blockSizes) {
      const [viaGateway, floor] = await sampleInTurn(targets, 1_000, 100, blockSize);
      console.log(`${String(blockSize).padStart(4)} per turn: gateway p50 ${viaGateway.p50.toFixed(2)} ms, direct p50 ${floor.p50.toFixed(2)} ms, added ${(viaGateway.p50 - floor.p50).toFixed(2)} ms`);
    }
  } finally {
    agent.destroy();
    closeGatewayAgent();
    await gateway.stop();
    await environment.close();
  }
}

main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
