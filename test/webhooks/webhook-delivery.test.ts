// Webhooks from the outbox over real HTTP: signed, retried with backoff, listed for admins, counted, kept across restarts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachDatabase } from '../support/databases';
import { graphql } from '../support/http';
import { closeLifecycleWorld, DAY_MS, LIFECYCLE_ADMIN_TOKEN, startLifecycleWorld, type LifecycleWorld } from '../support/lifecycle-gateway';
import { signInAs } from '../support/microsoft-sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';
import { TEST_WEBHOOK_SECRET } from '../support/webhook-receiver';

const DELIVERIES = `query Deliveries($first: Int, $pendingOnly: Boolean) {
  webhookDeliveries(first: $first, pendingOnly: $pendingOnly) { id type attempts deliveredAt nextAttemptAt lastError }
}`;

describeEachDatabase('webhook delivery', (target) => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-webhooks-'));
  let world: Partial<LifecycleWorld> = {};
  let restarted: StartedGateway | undefined;

  beforeEach(async () => {
    world = {};
    restarted = undefined;
  });

  afterEach(async () => {
    await restarted?.close();
    await closeLifecycleWorld(world);
  });

  afterAll(async () => {
    await target.dropAll();
    rmSync(folder, { recursive: true, force: true });
  });

  const deliveries = async (gateway: StartedGateway, pendingOnly = false) => {
    const response = await graphql<{ webhookDeliveries: Array<Record<string, unknown>> }>(gateway.url, DELIVERIES, {
      variables: { pendingOnly },
      headers: { 'x-admin-token': LIFECYCLE_ADMIN_TOKEN },
    });
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.webhookDeliveries;
  };

  it('retries a receiver that fails the first attempts, with backoff, and delivers one signed event without tokens', async () => {
    await startLifecycleWorld({ databaseUrl: target.freshUrl() }, world);
    const { gateway, receiver } = world as LifecycleWorld;
    const signedIn = await signInAs(gateway.url, world.sandbox!.users[0].email);
    receiver.failNext(2);

    expect(await gateway.services.webhookDelivery.runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    const [pending] = await deliveries(gateway, true);
    expect(pending).toEqual({
      id: expect.stringMatching(/^msg_/),
      type: 'connection.created',
      attempts: 1,
      deliveredAt: null,
      nextAttemptAt: new Date(world.now!() + 30_000).toISOString(),
      lastError: 'HTTP 500',
    });
    // Not due yet: nothing is sent until the backoff has passed.
    expect(await gateway.services.webhookDelivery.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    world.advance!(30_000);
    expect(await gateway.services.webhookDelivery.runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    world.advance!(60_000);
    expect(await gateway.services.webhookDelivery.runOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });

    expect(receiver.received.map((delivery) => delivery.headers['webhook-id'])).toEqual(Array(3).fill(pending.id));
    expect(receiver.accepted()).toEqual([
      {
        id: pending.id,
        type: 'connection.created',
        timestamp: expect.any(String),
        data: { userId: signedIn.viewer.id, channel: 'MAIN', microsoftUserId: expect.any(String) },
      },
    ]);
    expect(Object.keys(JSON.parse(receiver.received[2].body)).sort()).toEqual(['data', 'timestamp', 'type']);
    expect(receiver.received[2].body).not.toContain(signedIn.sessionToken);
    expect(await deliveries(gateway, true)).toEqual([]);
    expect(await deliveries(gateway)).toEqual([expect.objectContaining({ id: pending.id, attempts: 3, lastError: null, nextAttemptAt: null })]);

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('gateway_webhook_deliveries_total{outcome="delivered"} 1');
    expect(metrics).toContain('gateway_webhook_deliveries_total{outcome="retried"} 2');
    expect(metrics).toContain('gateway_webhook_deliveries_total{outcome="failed"} 0');
  });

  it('gives up after about three days of failures', async () => {
    await startLifecycleWorld({ databaseUrl: target.freshUrl() }, world);
    const { gateway, receiver } = world as LifecycleWorld;
    await signInAs(gateway.url, world.sandbox!.users[0].email);
    receiver.failNext(Number.MAX_SAFE_INTEGER);
    const createdAt = world.now!();
    let failed = 0;
    for (let hour = 0; hour <= 4 * 24 && failed === 0; hour += 1) {
      failed += (await gateway.services.webhookDelivery.runOnce()).failed;
      world.advance!(3_600_000);
    }
    expect(failed).toBe(1);
    const [given] = await deliveries(gateway);
    expect(given).toMatchObject({ deliveredAt: null, nextAttemptAt: null, lastError: 'HTTP 500' });
    // Given up at the first attempt that would have fallen past three days: not before two and a half.
    const givenUpAfter = world.now!() - 3_600_000 - createdAt;
    expect(givenUpAfter).toBeGreaterThan(2.5 * DAY_MS);
    expect(givenUpAfter).toBeLessThanOrEqual(3 * DAY_MS);
    expect(await (await fetch(`${gateway.url}/metrics`)).text()).toContain('gateway_webhook_deliveries_total{outcome="failed"} 1');
  });

  it('delivers after a restart what a stopped gateway wrote but never sent', async () => {
    const databaseUrl = target.dialect === 'sqlite' ? `file:${join(folder, `restart-${Date.now()}.db`)}` : target.freshUrl();
    await startLifecycleWorld({ databaseUrl }, world);
    const signedIn = await signInAs(world.gateway!.url, world.sandbox!.users[0].email);
    await world.gateway!.close();
    world.gateway = undefined;
    expect(world.receiver!.received).toEqual([]);

    restarted = await startTestGateway(
      { RATE_LIMITS: 'off', DATABASE_URL: databaseUrl, WEBHOOK_URL: world.receiver!.url, WEBHOOK_SECRET: TEST_WEBHOOK_SECRET },
      { sandbox: world.sandbox, now: world.now, runsBackgroundJobs: false },
    );
    expect(await restarted.services.webhookDelivery.runOnce()).toMatchObject({ delivered: 1 });
    expect(world.receiver!.accepted()).toEqual([expect.objectContaining({ type: 'connection.created', data: expect.objectContaining({ userId: signedIn.viewer.id }) })]);
  });

  it('refuses webhookDeliveries without the admin token, whatever its arguments', async () => {
    await startLifecycleWorld({ databaseUrl: target.freshUrl() }, world);
    const response = await graphql(world.gateway!.url, DELIVERIES);
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const withBadFirst = await graphql(world.gateway!.url, DELIVERIES, { variables: { first: 0 }, headers: { 'x-admin-token': 'a-wrong-guess' } });
    expect(withBadFirst.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it.each([0, 501])('answers an admin asking for %i deliveries with BAD_USER_INPUT on first', async (first) => {
    await startLifecycleWorld({ databaseUrl: target.freshUrl() }, world);
    const response = await graphql(world.gateway!.url, DELIVERIES, { variables: { first }, headers: { 'x-admin-token': LIFECYCLE_ADMIN_TOKEN } });
    expect(response.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first', fields: [{ field: 'first', message: 'first must be between 1 and 500.' }] });
  });
});
