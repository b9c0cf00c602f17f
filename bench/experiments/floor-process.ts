// Does the direct floor change when the sandbox runs in its own process (as Microsoft would) instead of the client's?
import { fork } from 'node:child_process';
import { httpsRequest, createTrustedAgent } from '../../src/microsoft/trusted-https';
import { benchUserEmail, startBenchEnvironment } from '../support/bench-environment';
import { directAccessToken, sandboxAgent } from '../support/clients';
import { sampleSequential } from '../support/load';
import { directCalendarViewUrl } from '../scenarios/throughput';

function windowNow() {
  const start = new Date(); start.setUTCHours(0, 0, 0, 0); start.setUTCDate(start.getUTCDate() - 3);
  return { start, end: new Date(start.getTime() + 7 * 86_400_000) };
}

async function serve(): Promise<void> {
  const environment = await startBenchEnvironment({ userCount: 1 });
  const agent = sandboxAgent(environment.sandbox);
  const token = await directAccessToken(environment.sandbox, agent, environment.directSecret, benchUserEmail(0));
  process.send!({ url: directCalendarViewUrl(environment.sandbox.graphBaseUrl, windowNow()), ca: environment.sandbox.caCertificatePem, token });
  if (process.argv[3] === 'inprocess') {
    await loop(agent, directCalendarViewUrl(environment.sandbox.graphBaseUrl, windowNow()), token, 'in-process');
    process.exit(0);
  }
}

async function loop(agent: ReturnType<typeof createTrustedAgent>, url: string, token: string, label: string) {
  for (let round = 0; round < 3; round += 1) {
    const result = await sampleSequential(async () => {
      const answer = await httpsRequest(agent, url, { headers: { authorization: `Bearer ${token}`, prefer: 'outlook.timezone="UTC"' } });
      if (answer.status !== 200) throw new Error(String(answer.status));
    }, 500);
    console.log(`${label}: p50 ${result.p50.toFixed(2)} ms`);
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'serve') { await serve(); return new Promise<void>(() => undefined); }
  const child = fork(__filename, ['serve', process.argv[2] ?? ''], { execArgv: [...(process.env.CHILD_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.CHILD_PROF] : []), '-r', require.resolve('../register.js')] });
  const info = await new Promise<{ url: string; ca: string; token: string }>((done) => child.once('message', done as never));
  if (process.argv[2] === 'inprocess') { await new Promise((done) => child.once('exit', done)); return; }
  await loop(createTrustedAgent({ caPem: [info.ca], keepAlive: true }), info.url, info.token, 'cross-process');
  child.kill();
}
main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
