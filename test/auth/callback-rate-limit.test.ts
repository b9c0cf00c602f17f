// The browser callback is limited per client address (RATE_LIMITS microsoftCallback): forged callbacks cannot come by the thousand.
import { describeEachDatabase } from '../support/databases';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const FORGED_CALLBACK = `/auth/microsoft/callback?code=forged&state=${'A'.repeat(43)}`;

describeEachDatabase('the callback rate limit', (target) => {
  let gateway: StartedGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway({ DATABASE_URL: target.freshUrl(), RATE_LIMITS: 'microsoftCallback=3/60', TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await gateway?.close();
    await target.dropAll();
  });

  const forge = (address: string) => fetch(`${gateway!.url}${FORGED_CALLBACK}`, { headers: { 'x-forwarded-for': address } });

  it('answers 429 with Retry-After and a short page once an address is over its limit, and counts each address apart', async () => {
    for (let call = 1; call <= 3; call += 1) {
      const answered = await forge('203.0.113.10');
      expect(answered.status).toBe(400);
      expect(await answered.text()).toContain('INVALID_STATE');
    }
    const refused = await forge('203.0.113.10');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await refused.text()).toContain('Too many');
    expect((await forge('203.0.113.11')).status).toBe(400);
  });

  it('counts the rejection in the rate-limit metric', async () => {
    const metrics = await (await fetch(`${gateway!.url}/metrics`)).text();
    expect(metrics).toMatch(/field="microsoftCallback"[^\n]*\} [1-9]/);
  });
});
