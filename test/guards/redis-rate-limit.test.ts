import { randomInt } from 'node:crypto';
import { createConnection } from 'node:net';
import { graphql } from '../support/http';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const REDIS_URL = 'redis://127.0.0.1:6379';

function redisAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: 6379, timeout: 1_000 });
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => socket.destroy() && resolve(false));
  });
}

describe('rate limits shared through Redis', () => {
  const gateways: StartedGateway[] = [];
  let isReachable = false;
  beforeAll(async () => {
    isReachable = await redisAnswers();
    if (!isReachable) {
      if (process.env.REQUIRE_SERVICES === '1') throw new Error(`Redis at ${REDIS_URL} is required (REQUIRE_SERVICES=1) but does not answer.`);
      console.log(`Skipping the Redis rate-limit test: nothing answers at ${REDIS_URL} (set REQUIRE_SERVICES=1 to make this a failure).`);
      return;
    }
    const env = { REDIS_URL, TRUST_PROXY: 'true', RATE_LIMITS: 'startMicrosoftSignIn=3/60' };
    gateways.push(await startTestGateway(env), await startTestGateway(env));
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
  });

  it('counts one caller across two instances', async () => {
    if (!isReachable) return;
    // A fresh address per run: Redis keeps the counters of earlier runs for a minute.
    const headers = { 'x-forwarded-for': `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}` };
    const codes: unknown[] = [];
    for (const gateway of [...gateways, ...gateways]) {
      const response = await graphql(gateway.url, 'mutation { startMicrosoftSignIn { state } }', { headers });
      codes.push(response.errors?.some((error) => error.extensions?.code === 'RATE_LIMITED') ?? false);
    }
    expect(codes).toEqual([false, false, false, true]);
  });
});
