// Two instances on one PostgreSQL and one Redis: each event is delivered once, and the sweep refreshes each connection once.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { describeOnPostgres } from '../support/databases';
import { DAY_MS, HOUR_MS } from '../support/lifecycle-gateway';
import { signInAs } from '../support/microsoft-sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';
import { startWebhookReceiver, TEST_WEBHOOK_SECRET, type WebhookReceiver } from '../support/webhook-receiver';
import { describeWithRedis, REDIS_URL } from '../scale/support/required-services';
import { sharedAppEnvironment } from '../scale/support/shared-app';

describeOnPostgres('connection lifecycle on two instances', (target) => {
  describeWithRedis('with Redis', () => {
    const folder = mkdtempSync(join(tmpdir(), 'gw-two-instances-'));
    let clock = Date.now();
    const now = () => clock;
    let sandbox: Sandbox | undefined;
    let receiver: WebhookReceiver | undefined;
    const gateways: StartedGateway[] = [];

    beforeAll(async () => {
      sandbox = await startSandbox({ quiet: true, now });
      receiver = await startWebhookReceiver();
      const env = {
        ...sharedAppEnvironment(sandbox, folder),
        RATE_LIMITS: 'off',
        DATABASE_URL: target.freshUrl(),
        REDIS_URL,
        REDIS_KEY_PREFIX: `test:${randomUUID()}:`,
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      };
      gateways.push(await startTestGateway(env, { now, runsBackgroundJobs: false }));
      gateways.push(await startTestGateway(env, { now, runsBackgroundJobs: false }));
    });

    afterAll(async () => {
      for (const gateway of gateways) await gateway.close();
      await receiver?.close();
      await sandbox?.close();
      await target.dropAll();
      rmSync(folder, { recursive: true, force: true });
    });

    it('delivers each event once and refreshes each idle connection once, however the instances race', async () => {
      const [a, b] = gateways;
      const emails = sandbox!.users.slice(0, 3).map((user) => user.email);
      for (const email of emails) await signInAs(a.url, email);

      await Promise.all([a.services.webhookDelivery.runOnce(), b.services.webhookDelivery.runOnce(), a.services.webhookDelivery.runOnce()]);
      const created = receiver!.accepted();
      expect(created.map((event) => event.type)).toEqual(Array(3).fill('connection.created'));
      expect(new Set(created.map((event) => event.id)).size).toBe(3);

      sandbox!.control.resetCounters();
      clock += DAY_MS + HOUR_MS;
      const results = await Promise.all([a.services.refreshSweep.runOnce(), b.services.refreshSweep.runOnce()]);
      expect(results.reduce((sum, result) => sum + result.refreshed, 0)).toBe(3);
      for (const email of emails) expect(sandbox!.control.counters().refreshGrantsByUser[email]).toBe(1);

      await Promise.all([a.services.webhookDelivery.runOnce(), b.services.webhookDelivery.runOnce()]);
      expect(receiver!.received).toHaveLength(3);
    });
  });
});
