// Concurrency-1 latencies measured from a client process of their own, as a real caller of the gateway or of Graph is.
// Run in the bench process, the direct floor's client would share its event loop with the sandbox and skip the
// process wake-ups every real request pays; the gateway path would pay them all. Targets are sampled in turn
// (one request to each, over and over), so both sides see the same moments of a busy machine.
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createTrustedAgent, httpsRequest } from '../../src/microsoft/trusted-https';
import { closeGatewayAgent, postGraphQL } from './clients';
import { summarize, type LatencySummary } from './stats';

export type LatencyTarget =
  | { kind: 'graphql'; url: string; query: string; variables?: Record<string, unknown>; token?: string }
  | { kind: 'https'; url: string; headers: Record<string, string>; caPem: string };

interface SampleRequest {
  targets: LatencyTarget[];
  count: number;
  warmup: number;
  /** Requests sent to one target before the next target's turn. */
  blockSize: number;
}

type SampleAnswer = { samples: number[][] } | { error: string };

/** Samples every target `count` times in turn (after `warmup` untimed rounds) from a child process. */
export async function sampleInTurn(targets: LatencyTarget[], count: number, warmup = Math.ceil(count / 10), blockSize = 1): Promise<LatencySummary[]> {
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new Error(`blockSize must be a whole number from 1, not ${blockSize}`);
  const child = fork(__filename, ['--serve'], { execArgv: ['-r', resolve(__dirname, '../register.js')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const answer = await new Promise<SampleAnswer>((done, fail) => {
      child.once('message', (message) => done(message as SampleAnswer));
      child.once('exit', (code) => fail(new Error(`the latency client exited with ${code}`)));
      child.send({ targets, count, warmup, blockSize } satisfies SampleRequest);
    });
    if ('error' in answer) throw new Error(answer.error);
    return answer.samples.map((samples) => summarize(samples));
  } finally {
    stop(child);
  }
}

function stop(child: ChildProcess): void {
  child.removeAllListeners('exit');
  if (child.exitCode === null) child.kill();
}

async function serve(request: SampleRequest): Promise<number[][]> {
  const agents = new Map<string, ReturnType<typeof createTrustedAgent>>();
  const send = request.targets.map((target) => {
    if (target.kind === 'graphql') {
      return async () => {
        const answer = await postGraphQL(target.url, target.query, { variables: target.variables, token: target.token });
        if (answer.errors) throw new Error(`a GraphQL request failed: ${String(answer.errors[0]?.extensions?.code)}`);
      };
    }
    let agent = agents.get(target.caPem);
    if (!agent) agents.set(target.caPem, (agent = createTrustedAgent({ caPem: [target.caPem], keepAlive: true })));
    const trustedAgent = agent;
    return async () => {
      const answer = await httpsRequest(trustedAgent, target.url, { headers: target.headers });
      if (answer.status !== 200) throw new Error(`${target.url.split('?')[0]} answered ${answer.status}`);
    };
  });
  const samples = request.targets.map(() => [] as number[]);
  const rounds = request.warmup + request.count;
  for (let round = 0; round < rounds; round += request.blockSize) {
    for (const [index, sendOne] of send.entries()) {
      for (let inBlock = 0; inBlock < request.blockSize && round + inBlock < rounds; inBlock += 1) {
        const startedAt = performance.now();
        await sendOne();
        if (round + inBlock >= request.warmup) samples[index].push(performance.now() - startedAt);
      }
    }
  }
  for (const agent of agents.values()) agent.destroy();
  closeGatewayAgent();
  return samples;
}

if (process.argv.includes('--serve')) {
  process.once('message', (message) => {
    serve(message as SampleRequest).then(
      (samples) => process.send!({ samples } satisfies SampleAnswer),
      (error: unknown) => process.send!({ error: error instanceof Error ? error.message : String(error) } satisfies SampleAnswer),
    );
  });
}
