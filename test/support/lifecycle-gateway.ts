// A sandbox, a webhook receiver and a gateway sharing one movable clock, with the background jobs left to the test.
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { graphql } from './http';
import { startTestGateway, type StartedGateway } from './start-gateway';
import { startWebhookReceiver, TEST_WEBHOOK_SECRET, type WebhookReceiver } from './webhook-receiver';

export const LIFECYCLE_ADMIN_TOKEN = 'lifecycle-admin-token';
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface LifecycleWorld {
  sandbox: Sandbox;
  receiver: WebhookReceiver;
  gateway: StartedGateway;
  /** Moves the shared clock of the sandbox and the gateway forward. */
  advance(ms: number): void;
  now(): number;
}

export interface LifecycleOptions {
  databaseUrl: string;
  env?: Record<string, string>;
  /** Shortened refresh-token inactivity limit of the sandbox (Microsoft: 90 days). */
  refreshTokenMaxInactiveMs?: number;
}

/** Closes whatever of it started: call from afterEach/afterAll even when start-up failed. */
export async function closeLifecycleWorld(world: Partial<LifecycleWorld>): Promise<void> {
  await world.gateway?.close();
  await world.receiver?.close();
  await world.sandbox?.close();
}

export async function startLifecycleWorld(options: LifecycleOptions, world: Partial<LifecycleWorld> = {}): Promise<LifecycleWorld> {
  let clock = Date.now();
  world.now = () => clock;
  world.advance = (ms) => {
    clock += ms;
  };
  world.sandbox = await startSandbox({ quiet: true, now: world.now, refreshTokenMaxInactiveMs: options.refreshTokenMaxInactiveMs });
  world.receiver = await startWebhookReceiver();
  world.gateway = await startTestGateway(
    {
      RATE_LIMITS: 'off',
      DATABASE_URL: options.databaseUrl,
      ADMIN_TOKEN: LIFECYCLE_ADMIN_TOKEN,
      WEBHOOK_URL: world.receiver.url,
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      ...options.env,
    },
    { sandbox: world.sandbox, now: world.now, runsBackgroundJobs: false },
  );
  return world as LifecycleWorld;
}

export const CONNECTION = '{ viewer { id connections { channel status lastRefreshedAt active needsReconnect } } }';

export interface ConnectionState {
  status: string;
  lastRefreshedAt: string | null;
  active: boolean;
  needsReconnect: boolean;
}

/** The caller's MAIN connection as the API shows it. */
export async function connectionOf(gateway: StartedGateway, sessionToken: string): Promise<ConnectionState> {
  const response = await graphql<{ viewer: { connections: Array<ConnectionState & { channel: string }> } }>(gateway.url, CONNECTION, { token: sessionToken });
  if (!response.data) throw new Error(`viewer failed: ${JSON.stringify(response.errors)}`);
  const { channel: _channel, ...state } = response.data.viewer.connections.find((connection) => connection.channel === 'MAIN')!;
  return state;
}
