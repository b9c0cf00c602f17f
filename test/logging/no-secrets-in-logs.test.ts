// After a full sign-in and calendar session, the log holds no token, code, state, secret or event content.
import type { Sandbox } from '../../src/sandbox';
import { describeEachDatabase } from '../support/databases';
import { graphql } from '../support/http';
import { authorize, completeSignIn, openCallback, startSignIn } from '../support/microsoft-sign-in';
import { startSandboxedGateway, stopSandboxedGateway, type StartedGateway } from '../support/start-gateway';

const ADMIN_TOKEN = 'admin-token-for-the-log-capture-test-0123456789';
let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;

describeEachDatabase('the request log', (target) => {
  beforeAll(async () => {
    ({ sandbox, gateway } = await startSandboxedGateway(target.freshUrl(), { ADMIN_TOKEN, LOG_LEVEL: 'debug' }));
  });

  afterAll(() => stopSandboxedGateway({ sandbox, gateway }, target));

  it('logs one line per request with no secret or event content after sign-in and calendar work', async () => {
    sandbox!.control.setAccessTokenLifetime(120); // the first calendar call refreshes
    const started = await startSignIn(gateway!.url, { channel: 'MAIN', loginHint: sandbox!.users[0].email });
    const { callback, cookie, microsoftUrl } = await authorize(started.authorizationUrl);
    const code = callback.searchParams.get('code')!;
    // A forged callback (no binding cookie) is refused and logged: the code, state and cookie stay out of the log.
    await openCallback(gateway!.url, callback, 'ms_sign_in_forged=forged-binding-cookie-value');
    const signedIn = await completeSignIn(gateway!.url, { channel: 'MAIN', code, state: started.state, completionSecret: started.completionSecret });
    const sessionToken = signedIn.data!.completeMicrosoftSignIn.sessionToken;

    const subject = 'Quarterly merger talks with Northwind (confidential)';
    const body = 'Board-only agenda: acquisition price 42 million';
    const created = await graphql<{ createEvent: { id: string } }>(
      gateway!.url,
      `mutation($input: CreateEventInput!) { createEvent(input: $input) { id subject } }`,
      {
        token: sessionToken,
        variables: {
          input: {
            subject,
            body,
            start: { dateTime: '2026-12-01T09:00:00', timeZone: 'Europe/Paris' },
            end: { dateTime: '2026-12-01T10:00:00', timeZone: 'Europe/Paris' },
            attendees: [{ email: 'secret.partner@northwind.example', name: 'Secret Partner' }],
          },
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const eventId = created.data!.createEvent.id;
    const read = await graphql(gateway!.url, `query($id: ID!) { event(id: $id) { subject body { content } } microsoftProfile { mail } }`, {
      token: sessionToken,
      variables: { id: eventId },
    });
    expect(read.errors).toBeUndefined();
    const stats = await graphql(gateway!.url, '{ tokenStats { channel total } }', { headers: { 'x-admin-token': ADMIN_TOKEN } });
    expect(stats.errors).toBeUndefined();
    await graphql(gateway!.url, 'mutation { signOut }', { token: sessionToken });

    // Each request's line is written on the gateway's event-loop turn after its answer, before the client reads it.
    const log = gateway!.logLines.join('\n');
    const requestLines = gateway!.logLines.filter((line) => line.includes('"graphql request"'));
    expect(requestLines.length).toBeGreaterThanOrEqual(6);
    for (const line of requestLines) expect(JSON.parse(line)).toEqual(expect.objectContaining({ requestId: expect.any(String), durationMs: expect.any(Number) }));
    const nonce = microsoftUrl.searchParams.get('nonce')!;
    const bindingCookie = cookie.split('=')[1];
    const forbidden = [sessionToken, code, started.state, nonce, started.completionSecret, bindingCookie, 'forged-binding-cookie-value', ADMIN_TOKEN, subject, body, 'secret.partner@northwind.example', gateway!.config.channels.main.clientSecret!];
    for (const text of forbidden) expect({ text, found: log.includes(text) }).toEqual({ text, found: false });
    expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/); // no JWT of any kind
  });
});
