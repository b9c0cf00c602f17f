// Paired loop: sequential `events` through the gateway beside the direct calendarView, in alternating rounds.
// node -r ./bench/register.js bench/experiments/latency-loop.ts [rounds] [perRound]
// LOOP_PROFILE=<dir>: CPU profile of the gateway; LOOP_ARGS="<node flags>": the gateway's Node flags instead (e.g.
// "--max-semi-space-size=8 --trace-gc"); LOOP_LOG=<file>: keep the gateway's output there.
import { join } from 'node:path';
import { httpsRequest } from '../../src/microsoft/trusted-https';
import { benchUserEmail, startBenchEnvironment } from '../support/bench-environment';
import { closeGatewayAgent, directAccessToken, postGraphQL, sandboxAgent, signInThroughGateway } from '../support/clients';
import { freePort, startGatewayProcess } from '../support/gateway-process';
import { sampleSequential } from '../support/load';
import { directCalendarViewUrl, EVENTS_QUERY } from '../scenarios/throughput';

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const perRound = Number(process.argv[3] ?? 300);
  const environment = await startBenchEnvironment({ userCount: 1 });
  const port = await freePort();
  const nodeArguments = process.env.LOOP_ARGS ? [...process.env.LOOP_ARGS.split(' '), 'dist/main.js'] : process.env.LOOP_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LOOP_PROFILE}`, 'dist/main.js'] : undefined;
  const gateway = await startGatewayProcess({ env: environment.gatewayEnv(port, join(environment.workDir, 'g.db')), port, logFile: process.env.LOOP_LOG ?? join(environment.workDir, 'g.log'), nodeArguments });
  const agent = sandboxAgent(environment.sandbox);
  try {
    const email = benchUserEmail(0);
    const session = await signInThroughGateway(gateway.url, agent, email);
    const direct = await directAccessToken(environment.sandbox, agent, environment.directSecret, email);
    const start = new Date(); start.setUTCHours(0, 0, 0, 0); start.setUTCDate(start.getUTCDate() - 3);
    const window = { start, end: new Date(start.getTime() + 7 * 86_400_000) };
    const variables = { start: window.start.toISOString(), end: window.end.toISOString() };
    const url = directCalendarViewUrl(environment.sandbox.graphBaseUrl, window);
    const query = process.env.LOOP_QUERY ?? EVENTS_QUERY;
    const added: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const cpu = gateway.cpuMs();
      const viaGateway = await sampleSequential(async () => {
        const answer = await postGraphQL(gateway.url, query, { variables, token: session });
        if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      }, perRound);
      const cpuPer = (gateway.cpuMs() - cpu) / (perRound * 1.1);
      const floor = await sampleSequential(async () => {
        const answer = await httpsRequest(agent, url, { headers: { authorization: `Bearer ${direct}`, prefer: 'outlook.timezone="UTC"' } });
        if (answer.status !== 200) throw new Error(String(answer.status));
      }, perRound);
      added.push(viaGateway.p50 - floor.p50);
      console.log(`round ${round + 1}: gateway p50 ${viaGateway.p50.toFixed(2)} ms, direct p50 ${floor.p50.toFixed(2)} ms, added ${(viaGateway.p50 - floor.p50).toFixed(2)} ms, gateway CPU/request ${cpuPer.toFixed(2)} ms`);
    }
    added.sort((a, b) => a - b);
    console.log(`median added ${added[Math.floor(added.length / 2)].toFixed(2)} ms; RSS ${gateway.residentMemoryMb().toFixed(0)} MB`);
  } finally {
    if (process.env.LOOP_SHOW_LOG) process.stdout.write(require('node:fs').readFileSync(join(environment.workDir, 'g.log'), 'utf8').split('\n').filter((line: string) => line.startsWith('TIMING')).join('\n') + '\n');
    agent.destroy();
    closeGatewayAgent();
    await gateway.stop();
    await environment.close();
  }
}

main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
