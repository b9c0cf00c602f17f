// MICROSOFT_ALLOWED_TENANTS: only users of the listed tenants sign in; anyone else is refused and nothing is stored.
import { SANDBOX_TENANT_ID, type Sandbox } from '../../src/sandbox';
import { describeEachDatabase, queryValue } from '../support/databases';
import { errorCodes } from '../support/http';
import { authorize, completeSignIn, signInAs, startSignIn } from '../support/microsoft-sign-in';
import { startSandboxedGateway, stopSandboxedGateway, type StartedGateway } from '../support/start-gateway';

const OTHER_TENANT_ID = '22222222-3333-4444-8555-666666666666';
let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;

describeEachDatabase('allowed tenants', (target) => {
  beforeAll(async () => {
    // MAIN lists the sandbox's tenant; BETA has its own list without it.
    ({ sandbox, gateway } = await startSandboxedGateway(target.freshUrl(), {
      MICROSOFT_ALLOWED_TENANTS: `${OTHER_TENANT_ID},${SANDBOX_TENANT_ID.toUpperCase()}`,
      MICROSOFT_BETA_ALLOWED_TENANTS: OTHER_TENANT_ID,
    }));
  });

  afterAll(() => stopSandboxedGateway({ sandbox, gateway }, target));

  it('signs in a user of a listed tenant', async () => {
    const signedIn = await signInAs(gateway!.url, sandbox!.users[0].email, { channel: 'MAIN' });
    expect(signedIn.connection).toMatchObject({ channel: 'MAIN', tenantId: SANDBOX_TENANT_ID });
  });

  it('refuses a user of a tenant the channel does not list with TENANT_NOT_ALLOWED, and stores nothing', async () => {
    const email = sandbox!.users[1].email;
    const started = await startSignIn(gateway!.url, { channel: 'BETA', loginHint: email });
    const { callback } = await authorize(started.authorizationUrl);
    const response = await completeSignIn(gateway!.url, {
      channel: 'BETA',
      code: callback.searchParams.get('code')!,
      state: started.state,
      completionSecret: started.completionSecret,
    });
    expect(errorCodes(response)).toEqual(['SIGN_IN_FAILED']);
    expect(response.errors?.[0].extensions?.reason).toBe('TENANT_NOT_ALLOWED');
    const count = (sql: string) => queryValue(gateway!.database, sql, [sandbox!.users[1].id]);
    expect(Number(await count('SELECT count(*) FROM users WHERE microsoft_user_id = ?'))).toBe(0);
    expect(Number(await count('SELECT count(*) FROM beta_microsoft_oauth_tokens WHERE microsoft_user_id = ?'))).toBe(0);
    expect(Number(await queryValue(gateway!.database, 'SELECT count(*) FROM sessions'))).toBe(1); // the first test's only
  });
});
