// Redis connections for the scale suites: two instances of one deployment under a fresh prefix, or a Redis that is gone.
import { randomUUID } from 'node:crypto';
import { openSharedRedis, type SharedRedis } from '../../../src/scale/redis';
import { REDIS_URL } from './required-services';

export interface RedisInstances {
  /** Two connections that stand for two gateway instances sharing one prefix. */
  readonly a: SharedRedis;
  readonly b: SharedRedis;
  /** A further connected instance, under another prefix when given (another deployment); closed with the others. */
  open(keyPrefix?: string): Promise<SharedRedis>;
}

/** Opens them in beforeAll (connected: until then the shared parts fall back instead of waiting) and closes them in afterAll. */
export function useRedisInstances(): RedisInstances {
  const keyPrefix = `test:${randomUUID()}:`;
  const connections: SharedRedis[] = [];
  const open = async (prefix = keyPrefix) => {
    const connection = openSharedRedis(REDIS_URL, { keyPrefix: prefix });
    connections.push(connection);
    if (!(await connection.whenReady(5_000))) throw new Error(`Redis at ${REDIS_URL} did not connect within 5 s`);
    return connection;
  };
  beforeAll(async () => {
    await open();
    await open();
  });
  afterAll(async () => {
    for (const connection of connections.splice(0)) await connection.close();
  });
  return {
    get a() {
      return connections[0];
    },
    get b() {
      return connections[1];
    },
    open,
  };
}

/** A connection to a port nothing listens on, as an instance sees Redis during an outage; closed in afterAll. */
export function useUnreachableRedis(): () => SharedRedis {
  let connection: SharedRedis | undefined;
  afterAll(async () => {
    await connection?.close();
  });
  return () => {
    connection ??= openSharedRedis('redis://127.0.0.1:1');
    return connection;
  };
}
