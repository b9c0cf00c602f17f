// Load generation: autocannon for throughput (one user per connection) and a sequential sampler for sub-millisecond latency.
import autocannon from 'autocannon';
import { summarize, type LatencySummary } from './stats';

export interface LoadTarget {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  /** Headers of each connection; connection i uses headersPerConnection[i % length]. */
  headersPerConnection: Array<Record<string, string>>;
  caPem?: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors, timeouts, non-2xx answers and bodies with GraphQL errors. */
  failures: number;
}

export async function runLoad(target: LoadTarget, options: { connections: number; durationSeconds: number }): Promise<LoadResult> {
  let nextConnection = 0;
  const result = await autocannon({
    url: target.url,
    method: target.method,
    body: target.body,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: 30,
    ...(target.caPem ? { tlsOptions: { ca: target.caPem } } : {}),
    setupClient: (client: autocannon.Client) => {
      const headers = target.headersPerConnection[nextConnection++ % target.headersPerConnection.length];
      client.setHeaders(headers);
    },
    // A GraphQL answer can be HTTP 200 and still an error.
    verifyBody: (body: string) => !body.includes('"errors"'),
  } as autocannon.Options);
  const raw = result as autocannon.Result & { mismatches?: number };
  return {
    requestsPerSecond: raw.requests.average,
    p50Ms: raw.latency.p50,
    p99Ms: raw.latency.p99,
    requests: raw.requests.total,
    failures: raw.errors + raw.timeouts + raw.non2xx + (raw.mismatches ?? 0),
  };
}

/** Calls `request` `count` times one after another (after `warmup` untimed calls) and summarizes the latencies. */
export async function sampleSequential(request: () => Promise<unknown>, count: number, warmup = Math.ceil(count / 10)): Promise<LatencySummary> {
  for (let index = 0; index < warmup; index += 1) await request();
  const samples: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const startedAt = performance.now();
    await request();
    samples.push(performance.now() - startedAt);
  }
  return summarize(samples);
}
