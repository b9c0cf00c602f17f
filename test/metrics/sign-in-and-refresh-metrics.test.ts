// The token service and sign-in report to /metrics: sessions opened, refreshes by outcome, through the sandbox.
import { Channel } from '../../src/config/channels';
import type { Sandbox } from '../../src/sandbox';
import { describeEachDatabase } from '../support/databases';
import { signInAs } from '../support/microsoft-sign-in';
import { startSandboxedGateway, stopSandboxedGateway, type StartedGateway } from '../support/start-gateway';

let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;

async function metric(line: string): Promise<number> {
  const text = await (await fetch(`${gateway!.url}/metrics`)).text();
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

describeEachDatabase('sign-in and refresh metrics', (target) => {
  beforeAll(async () => {
    ({ sandbox, gateway } = await startSandboxedGateway(target.freshUrl()));
  });

  afterAll(() => stopSandboxedGateway({ sandbox, gateway }, target));

  it('counts a session per sign-in and each refresh by outcome', async () => {
    expect(await metric('gateway_sessions_opened_total')).toBe(0);
    sandbox!.control.setAccessTokenLifetime(120);
    const signedIn = await signInAs(gateway!.url, sandbox!.users[0].email);
    expect(await metric('gateway_sessions_opened_total')).toBe(1);

    await gateway!.services.tokenService.getAccessToken(signedIn.viewer.id, Channel.MAIN);
    expect(await metric('gateway_token_refreshes_total{channel="main",outcome="refreshed"}')).toBe(1);

    sandbox!.control.injectFault({ status: 503, path: '/oauth2/v2.0/token', count: 1 });
    await expect(gateway!.services.tokenService.getAccessToken(signedIn.viewer.id, Channel.MAIN)).rejects.toBeDefined();
    expect(await metric('gateway_token_refreshes_total{channel="main",outcome="failed"}')).toBe(1);

    sandbox!.control.revokeRefreshTokens(sandbox!.users[0].email);
    await expect(gateway!.services.tokenService.getAccessToken(signedIn.viewer.id, Channel.MAIN)).rejects.toBeDefined();
    expect(await metric('gateway_token_refreshes_total{channel="main",outcome="reconnect_required"}')).toBe(1);
  });
});
