import { startTestGateway, type StartedGateway } from '../support/start-gateway';

// A proxy rule written for `/metrics` does not match `/METRICS` or `/metrics/`: the gateway must not serve them either.
describe('plain routes match their path exactly', () => {
  let gateway: StartedGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it.each([
    ['/metrics', 200],
    ['/metrics?name=x', 200],
    ['/healthz', 200],
    ['/auth/microsoft/callback', 400],
  ])('serves %s', async (path, status) => {
    expect((await fetch(`${gateway!.url}${path}`)).status).toBe(status);
  });

  it.each(['/METRICS', '/Metrics', '/metrics/', '/Metrics/', '/HEALTHZ', '/healthz/', '/Auth/Microsoft/Callback', '/auth/microsoft/callback/', '/auth/microsoft/start/', '/GRAPHQL', '/graphql/'])(
    'answers 404 for %s',
    async (path) => {
      const response = await fetch(`${gateway!.url}${path}?query=%7B__typename%7D`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toMatch(/gateway_|"status"|signed in|sign-in|__typename|"data"/i);
    },
  );
});
