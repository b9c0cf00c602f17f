// The notification route is limited per client address like the callback (RATE_LIMITS microsoftNotifications).
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

describe('the notification route rate limit', () => {
  let gateway: StartedGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway({ RATE_LIMITS: 'microsoftNotifications=3/60', TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  const handshake = (address: string) =>
    fetch(`${gateway!.url}/microsoft/notifications?validationToken=hello`, { method: 'POST', headers: { 'x-forwarded-for': address } });

  it('answers 429 once an address is over its configured limit, counts each address apart, and reports it in metrics', async () => {
    for (let call = 1; call <= 3; call += 1) expect((await handshake('203.0.113.20')).status).toBe(200);
    const refused = await handshake('203.0.113.20');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await handshake('203.0.113.21')).status).toBe(200);
    const metrics = await (await fetch(`${gateway!.url}/metrics`)).text();
    expect(metrics).toMatch(/field="microsoftNotifications"[^\n]*\} [1-9]/);
  });
});
