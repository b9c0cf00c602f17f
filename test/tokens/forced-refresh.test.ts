// Many requests refused with the same revoked token share one forced refresh, against the sandbox with the real msal-node.
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { describeEachDatabase } from '../support/databases';
import { graphql } from '../support/http';
import { signInAs } from '../support/sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;

const PROFILE = '{ microsoftProfile { id } }';

describeEachDatabase('a token Graph refuses', (target) => {
  beforeAll(async () => {
    sandbox = await startSandbox({ quiet: true });
    gateway = await startTestGateway({ RATE_LIMITS: 'off', DATABASE_URL: target.freshUrl() }, { sandbox });
  });

  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
    await target.dropAll();
  });

  it('is refreshed once for 10 concurrent calls after Microsoft expired it server-side', async () => {
    const email = sandbox!.users[0].email;
    const { sessionToken } = await signInAs(gateway!, email);
    expect((await graphql(gateway!.url, PROFILE, { token: sessionToken })).errors).toBeUndefined();
    sandbox!.control.resetCounters();
    sandbox!.control.expireAccessTokens(email);
    const responses = await Promise.all(Array.from({ length: 10 }, () => graphql(gateway!.url, PROFILE, { token: sessionToken })));
    expect(responses.map((response) => response.errors)).toEqual(Array(10).fill(undefined));
    expect(sandbox!.control.counters().refreshGrantsByUser[email]).toBe(1);
  });

  it('still refreshes again when the new token is refused too', async () => {
    const email = sandbox!.users[1].email;
    const { sessionToken } = await signInAs(gateway!, email);
    for (let round = 1; round <= 2; round += 1) {
      sandbox!.control.resetCounters();
      sandbox!.control.expireAccessTokens(email);
      expect((await graphql(gateway!.url, PROFILE, { token: sessionToken })).errors).toBeUndefined();
      expect(sandbox!.control.counters().refreshGrantsByUser[email]).toBe(1);
    }
  });
});
