// The refresh sweep and connection status against the sandbox over real HTTP, with a clock the test moves.
import { describeEachDatabase } from '../support/databases';
import { graphql } from '../support/http';
import {
  closeLifecycleWorld,
  connectionOf,
  DAY_MS,
  HOUR_MS,
  startLifecycleWorld,
  type LifecycleWorld,
} from '../support/lifecycle-gateway';
import { signInAs } from '../support/microsoft-sign-in';

const TOKEN_ENDPOINT = '/oauth2/v2.0/token';

describeEachDatabase('connection lifecycle', (target) => {
  let world: Partial<LifecycleWorld> = {};

  beforeEach(async () => {
    world = {};
    // Refresh tokens lapse after 2 days unused here, instead of Microsoft's 90.
    await startLifecycleWorld({ databaseUrl: target.freshUrl(), refreshTokenMaxInactiveMs: 2 * DAY_MS }, world);
  });

  afterEach(async () => {
    await closeLifecycleWorld(world);
  });

  afterAll(async () => {
    await target.dropAll();
  });

  const sweep = () => world.gateway!.services.refreshSweep.runOnce();
  const deliver = () => world.gateway!.services.webhookDelivery.runOnce();
  // Deliveries run several at a time, so they may arrive out of order: receivers order them by their timestamp.
  const eventsOf = (userId: string) =>
    world.receiver!.accepted()
      .filter((event) => event.data.userId === userId)
      .sort((left, right) => left.timestamp.localeCompare(right.timestamp))
      .map((event) => event.type);

  async function signIn(index = 0) {
    const completed = await signInAs(world.gateway!.url, world.sandbox!.users[index].email);
    return { sessionToken: completed.sessionToken, userId: completed.viewer.id, email: world.sandbox!.users[index].email };
  }

  it('keeps a connection idle for longer than the refresh-token lifetime usable by refreshing it in the background', async () => {
    const { sessionToken, email } = await signIn();
    for (let day = 1; day <= 3; day += 1) {
      world.advance!(DAY_MS + HOUR_MS);
      expect(await sweep()).toEqual({ isSkipped: false, refreshed: 1, failed: 0 });
    }
    // Three days and three hours since the sign-in: its refresh token alone would have lapsed a day ago.
    expect(world.sandbox!.control.counters().refreshGrantsByUser[email]).toBe(3);
    expect(await connectionOf(world.gateway!, sessionToken)).toEqual({
      status: 'ACTIVE',
      lastRefreshedAt: new Date(world.now!()).toISOString(),
      active: true,
      needsReconnect: false,
    });
    world.advance!(HOUR_MS);
    const profile = await graphql(world.gateway!.url, '{ microsoftProfile { id } }', { token: sessionToken });
    expect(profile.errors).toBeUndefined();
  });

  it('leaves connections refreshed within REFRESH_IDLE_AFTER alone', async () => {
    const { email } = await signIn();
    world.advance!(23 * HOUR_MS);
    expect(await sweep()).toEqual({ isSkipped: false, refreshed: 0, failed: 0 });
    expect(world.sandbox!.control.counters().refreshGrantsByUser[email] ?? 0).toBe(0);
  });

  it('ends an outage longer than REFRESH_GIVE_UP_AFTER in NEEDS_RECONNECT with exactly one reconnect_required webhook', async () => {
    const { sessionToken, userId, email } = await signIn();
    world.sandbox!.control.injectFault({ status: 503, path: TOKEN_ENDPOINT, count: 10_000 });
    world.advance!(DAY_MS + HOUR_MS);
    expect(await sweep()).toMatchObject({ refreshed: 0, failed: 1 });
    expect(await connectionOf(world.gateway!, sessionToken)).toMatchObject({ status: 'REFRESH_FAILING', active: true, needsReconnect: false });

    // Retried every few hours (the backoff stays under an hour) for five days.
    for (let hours = 6; hours <= 5 * 24; hours += 6) {
      world.advance!(6 * HOUR_MS);
      await sweep();
    }
    expect(await connectionOf(world.gateway!, sessionToken)).toMatchObject({ status: 'NEEDS_RECONNECT', active: false, needsReconnect: true });
    const refreshesWhenGivenUp = world.sandbox!.control.counters().refreshGrantsByUser[email];
    world.advance!(DAY_MS + HOUR_MS);
    expect(await sweep()).toEqual({ isSkipped: false, refreshed: 0, failed: 0 });
    expect(world.sandbox!.control.counters().refreshGrantsByUser[email]).toBe(refreshesWhenGivenUp);

    await deliver();
    expect(eventsOf(userId)).toEqual(['connection.created', 'connection.refresh_failing', 'connection.reconnect_required']);

    world.sandbox!.control.reset();
    await signIn();
    await deliver();
    expect(eventsOf(userId)).toEqual(['connection.created', 'connection.refresh_failing', 'connection.reconnect_required', 'connection.recovered']);
    expect(await connectionOf(world.gateway!, sessionToken)).toMatchObject({ status: 'ACTIVE', active: true, needsReconnect: false });
  });

  it('turns a connection Microsoft refuses for good (invalid_grant) into NEEDS_RECONNECT at once', async () => {
    const { sessionToken, userId, email } = await signIn();
    world.sandbox!.control.revokeRefreshTokens(email);
    world.advance!(DAY_MS + HOUR_MS);
    expect(await sweep()).toMatchObject({ failed: 1 });
    expect(await connectionOf(world.gateway!, sessionToken)).toMatchObject({ status: 'NEEDS_RECONNECT', needsReconnect: true, active: false });
    await deliver();
    expect(eventsOf(userId)).toEqual(['connection.created', 'connection.reconnect_required']);
  });

  it('returns a failing connection to ACTIVE with connection.recovered once a refresh works again', async () => {
    const { sessionToken, userId } = await signIn();
    world.sandbox!.control.injectFault({ status: 503, path: TOKEN_ENDPOINT, count: 10_000 });
    world.advance!(DAY_MS + HOUR_MS);
    await sweep();
    world.sandbox!.control.reset();
    world.advance!(2 * HOUR_MS);
    expect(await sweep()).toMatchObject({ refreshed: 1, failed: 0 });
    expect(await connectionOf(world.gateway!, sessionToken)).toEqual({
      status: 'ACTIVE',
      lastRefreshedAt: new Date(world.now!()).toISOString(),
      active: true,
      needsReconnect: false,
    });
    await deliver();
    expect(eventsOf(userId)).toEqual(['connection.created', 'connection.refresh_failing', 'connection.recovered']);
  });

  it('announces the disconnect of a broken connection as disconnected only, never as recovered', async () => {
    const { sessionToken, userId, email } = await signIn();
    world.sandbox!.control.revokeRefreshTokens(email);
    world.advance!(DAY_MS + HOUR_MS);
    await sweep();
    // Delivered before the disconnect: deliveries run side by side, so two pending ones may arrive in either order.
    await deliver();
    const response = await graphql(world.gateway!.url, 'mutation { disconnectMicrosoft }', { token: sessionToken });
    expect(response.errors).toBeUndefined();
    await deliver();
    expect(eventsOf(userId)).toEqual(['connection.created', 'connection.reconnect_required', 'connection.disconnected']);
  });

  it('announces a disconnect', async () => {
    const { sessionToken, userId } = await signIn();
    world.advance!(60_000);
    const response = await graphql(world.gateway!.url, 'mutation { disconnectMicrosoft }', { token: sessionToken });
    expect(response.errors).toBeUndefined();
    await deliver();
    expect(eventsOf(userId)).toEqual(['connection.created', 'connection.disconnected']);
  });
});
