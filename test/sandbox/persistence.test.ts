// The built-in sandbox keeps users, events and grants beside the SQLite database: connections survive a restart.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorCodes, graphql } from '../support/http';
import { signInAs } from '../support/sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const ADELE = 'adele.vance@contoso.example';
const EVENTS = `query($start: DateTime!, $end: DateTime!) { events(start: $start, end: $end, first: 200) { nodes { id subject } } }`;
const CREATE = `mutation($input: CreateEventInput!) { createEvent(input: $input) { id subject } }`;

describe('the built-in sandbox across a restart', () => {
  const dataFolder = mkdtempSync(join(tmpdir(), 'gw-sandbox-state-'));
  const env = { SANDBOX: 'on', RATE_LIMITS: 'off', DATABASE_URL: `file:${join(dataFolder, 'gateway.db')}` };
  let gateway: StartedGateway | undefined;

  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });
  afterAll(() => rmSync(dataFolder, { recursive: true, force: true }));

  it('keeps the connection, the events written before it and the refresh token Microsoft issued', async () => {
    gateway = await startTestGateway(env);
    const { sessionToken } = await signInAs(gateway, ADELE);
    const start = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19);
    const end = new Date(Date.now() + 7_200_000).toISOString().slice(0, 19);
    const created = await graphql<{ createEvent: { id: string } }>(gateway.url, CREATE, {
      token: sessionToken,
      variables: { input: { subject: 'Written before the restart', start: { dateTime: start, timeZone: 'UTC' }, end: { dateTime: end, timeZone: 'UTC' } } },
    });
    expect(created.errors).toBeUndefined();
    await gateway.close();
    gateway = undefined;
    expect(statSync(join(dataFolder, 'sandbox-state.json')).mode & 0o777).toBe(0o600);

    gateway = await startTestGateway(env);
    // Only a refresh with the token issued before the restart can answer now.
    gateway.sandbox!.control.expireAccessTokens(ADELE);
    const window = { start: new Date(Date.now() - 86_400_000).toISOString(), end: new Date(Date.now() + 86_400_000).toISOString() };
    const events = await graphql<{ events: { nodes: Array<{ id: string; subject: string }> } }>(gateway.url, EVENTS, { token: sessionToken, variables: window });
    expect(errorCodes(events)).toEqual([]);
    expect(events.data!.events.nodes).toContainEqual({ id: created.data!.createEvent.id, subject: 'Written before the restart' });
    expect(gateway.sandbox!.control.counters().tokenGrants.refresh_token).toBe(1);
  });
});
