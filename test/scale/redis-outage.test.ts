// With REDIS_URL set but Redis gone, an instance still starts, signs users in, limits rates and refreshes on its own memory.
import Redis from 'ioredis';
import { Channel } from '../../src/config/channels';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { graphql } from '../support/http';
import { signInAs } from '../support/microsoft-sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  // Nothing listens on port 1; rate limits keep their defaults.
  gateway = await startTestGateway({ SANDBOX: 'on', TRUST_PROXY: 'true', REDIS_URL: 'redis://127.0.0.1:1' }, { sandbox });
});

afterAll(async () => {
  await gateway?.close();
  await sandbox?.close();
});

it('starts and answers although Redis never connects', async () => {
  expect((await graphql(gateway!.url, '{ health { status } }')).data).toEqual({ health: { status: 'OK' } });
});

it('signs in, refreshes, signs out and disconnects without Redis, and says once why it falls back', async () => {
  // Nothing waits for Redis: a command sent while it is down would wait for a reconnect attempt, so none is sent.
  // (The gateway's connections are the only Redis clients in this process.)
  const commandsSent = jest.spyOn(Redis.prototype, 'sendCommand');
  sandbox!.control.setAccessTokenLifetime(120);
  const signedIn = await signInAs(gateway!.url, sandbox!.users[0].email);
  sandbox!.control.resetCounters();

  const tokens = await Promise.all(Array.from({ length: 5 }, () => gateway!.services.tokenService.getAccessToken(signedIn.viewer.id, Channel.MAIN)));
  expect(new Set(tokens).size).toBe(1);
  expect(sandbox!.control.counters().tokenGrants.refresh_token).toBe(1);
  const profile = await graphql(gateway!.url, '{ microsoftProfile { mail } }', { token: signedIn.sessionToken });
  expect(profile.data).toEqual({ microsoftProfile: { mail: sandbox!.users[0].email } });
  expect((await graphql(gateway!.url, 'mutation { disconnectMicrosoft }', { token: signedIn.sessionToken })).data).toEqual({ disconnectMicrosoft: true });
  expect((await graphql(gateway!.url, 'mutation { signOut }', { token: signedIn.sessionToken })).data).toEqual({ signOut: true });
  expect((await graphql(gateway!.url, '{ viewer { id } }', { token: signedIn.sessionToken })).data).toEqual({ viewer: null });

  const warnings = gateway!.logLines.filter((line) => line.includes('Redis is unavailable'));
  expect(warnings.length).toBeGreaterThan(0);
  // One per part and minute, not one per request.
  expect(warnings.length).toBeLessThanOrEqual(5);
  expect(commandsSent).not.toHaveBeenCalled();
  commandsSent.mockRestore();
  expect(gateway!.logLines.join('\n')).not.toContain(signedIn.sessionToken);
});

it('keeps counting rate limits in its own memory while Redis is gone', async () => {
  const headers = { 'x-forwarded-for': '10.0.0.9' };
  const outcomes: string[] = [];
  for (let call = 0; call < 12; call += 1) {
    const response = await graphql(gateway!.url, 'mutation { startMicrosoftSignIn { state } }', { headers });
    outcomes.push(response.data ? 'started' : String(response.errors?.[0]?.extensions?.code));
  }
  // The sign-in above used one start from 127.0.0.1; this caller has its own 10.
  expect(outcomes).toEqual([...Array(10).fill('started'), 'RATE_LIMITED', 'RATE_LIMITED']);
});
