// Two first sign-ins of the same Microsoft identity completing at once both succeed, as the same gateway user.
import type { Sandbox } from '../../src/sandbox';
import { describeEachDatabase } from '../support/databases';
import { completeSignIn, followAuthorization, startSignIn } from '../support/microsoft-sign-in';
import { startSandboxedGateway, stopSandboxedGateway, type StartedGateway } from '../support/start-gateway';

let sandbox: Sandbox | undefined;
let gateway: StartedGateway | undefined;

async function authorized(email: string) {
  const started = await startSignIn(gateway!.url, { loginHint: email });
  const callback = await followAuthorization(started.authorizationUrl);
  return { code: callback.searchParams.get('code')!, state: callback.searchParams.get('state')!, completionSecret: started.completionSecret };
}

describeEachDatabase('concurrent first sign-ins', (target) => {
  beforeAll(async () => {
    ({ sandbox, gateway } = await startSandboxedGateway(target.freshUrl()));
  });

  afterAll(() => stopSandboxedGateway({ sandbox, gateway }, target));

  it('gives both completions of two states for one new identity the same user', async () => {
    const email = sandbox!.users[3].email;
    const [first, second] = await Promise.all([authorized(email), authorized(email)]);
    // Widen the window between "no user yet" and creating one, so both completions are surely inside it together.
    const users = gateway!.services.users;
    const findByIdentity = users.findByIdentity.bind(users);
    const slowed = jest.spyOn(users, 'findByIdentity').mockImplementation(async (...args) => {
      const found = await findByIdentity(...args);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return found;
    });
    let results;
    try {
      results = await Promise.all([completeSignIn(gateway!.url, first), completeSignIn(gateway!.url, second)]);
    } finally {
      slowed.mockRestore();
    }
    expect(results.map((result) => result.errors)).toEqual([undefined, undefined]);
    const [a, b] = results.map((result) => result.data!.completeMicrosoftSignIn);
    expect(a.viewer.id).toBe(b.viewer.id);
    expect(a.sessionToken).not.toBe(b.sessionToken);
  });
});
