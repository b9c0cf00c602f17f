import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildGatewaySchema } from '../../src/graphql/build-schema';
import { schemaOnlyBindings } from '../../src/graphql/resolvers';
import { ConfigError } from '../../src/config/load-config';
import { applyRateLimitSettings, declaredRateLimits } from '../../src/guards/rate-limit-directive';
import { effectiveRouteRateLimits } from '../../src/guards/rate-limits';
import { describeEachDatabase } from '../support/databases';
import { errorCodes, graphql, type GraphQLResponse } from '../support/http';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const START_SIGN_IN = 'mutation { startMicrosoftSignIn { authorizationUrl } }';

/** One valid operation per rate-limited field; what the field answers after the limit check does not matter here. */
const OPERATION_FOR_FIELD: Record<string, string> = {
  startMicrosoftSignIn: START_SIGN_IN,
  completeMicrosoftSignIn: 'mutation { completeMicrosoftSignIn(code: "c", state: "s") { sessionToken } }',
  viewer: '{ viewer { id } }',
  microsoftProfile: '{ microsoftProfile { id } }',
  calendar: '{ calendar { defaultCalendar { id } } }',
  events: '{ events(start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z") { nodes { id } } }',
  event: '{ event(id: "AAMk") { id } }',
  eventInstances: '{ eventInstances(seriesMasterId: "AAMk", start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z") { totalCount } }',
  createEvent:
    'mutation { createEvent(input: { subject: "s", start: { dateTime: "2026-01-01T09:00:00", timeZone: "UTC" }, end: { dateTime: "2026-01-01T10:00:00", timeZone: "UTC" } }) { id } }',
  updateEvent: 'mutation { updateEvent(id: "AAMk", input: { subject: "s" }) { id } }',
  deleteEvent: 'mutation { deleteEvent(id: "AAMk") }',
  respondToEvent: 'mutation { respondToEvent(id: "AAMk", response: ACCEPT) }',
  cancelEvent: 'mutation { cancelEvent(id: "AAMk") }',
  tokenStats: '{ tokenStats { total } }',
  webhookDeliveries: '{ webhookDeliveries { id } }',
};

function rateLimitError(response: GraphQLResponse<unknown>) {
  return response.errors?.find((error) => error.extensions?.code === 'RATE_LIMITED');
}

const declaredSchema = () => buildGatewaySchema(schemaOnlyBindings());

describe('the limits declared on the fields', () => {
  it('holds the published limits, and none on the fields that declare none', () => {
    expect(declaredRateLimits(declaredSchema())).toEqual({
      startMicrosoftSignIn: { limit: 10, duration: 60 },
      completeMicrosoftSignIn: { limit: 20, duration: 3600 },
      viewer: { limit: 100, duration: 60 },
      microsoftProfile: { limit: 100, duration: 60 },
      calendar: { limit: 100, duration: 60 },
      events: { limit: 200, duration: 60 },
      event: { limit: 200, duration: 60 },
      eventInstances: { limit: 200, duration: 60 },
      schedule: { limit: 100, duration: 60 },
      createEvent: { limit: 50, duration: 60 },
      updateEvent: { limit: 50, duration: 60 },
      deleteEvent: { limit: 50, duration: 60 },
      respondToEvent: { limit: 50, duration: 60 },
      cancelEvent: { limit: 50, duration: 60 },
      tokenStats: { limit: 30, duration: 60 },
      webhookDeliveries: { limit: 30, duration: 60 },
    });
  });

  it('applies RATE_LIMITS overrides and drops every limit with off', () => {
    const overridden = declaredRateLimits(applyRateLimitSettings(declaredSchema(), { events: { points: 1000, durationSeconds: 60 } }));
    expect(overridden.events).toEqual({ limit: 1000, duration: 60 });
    expect(overridden.startMicrosoftSignIn).toEqual({ limit: 10, duration: 60 });
    expect(declaredRateLimits(applyRateLimitSettings(declaredSchema(), 'off'))).toEqual({});
    expect(effectiveRouteRateLimits({}).microsoftCallback).toEqual({ limit: 30, duration: 60 });
    expect(effectiveRouteRateLimits({ microsoftCallback: { points: 5, durationSeconds: 60 } }).microsoftCallback).toEqual({ limit: 5, duration: 60 });
    expect(effectiveRouteRateLimits({}).microsoftNotifications).toEqual({ limit: 600, duration: 60 });
    expect(effectiveRouteRateLimits({ microsoftNotifications: { points: 5, durationSeconds: 60 } }).microsoftNotifications).toEqual({ limit: 5, duration: 60 });
    expect(effectiveRouteRateLimits('off')).toEqual({});
  });

  it.each(['evnets', 'health'])('refuses RATE_LIMITS naming %s, which declares no limit, as a configuration error', (name) => {
    const failure = (() => {
      try {
        applyRateLimitSettings(declaredSchema(), { [name]: { points: 5, durationSeconds: 60 } });
      } catch (error) {
        return error as ConfigError;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(ConfigError);
    expect(failure!.message).toMatch(new RegExp(`^RATE_LIMITS: expected one of the rate-limited fields and routes \\(.*microsoftCallback.*\\), got an unknown field ${name}$`));
  });

  it('shows @rateLimit and every limited field in the served schema SDL, overrides included', () => {
    const sdl = printSchemaWithDirectives(applyRateLimitSettings(declaredSchema(), { events: { points: 1000, durationSeconds: 60 } }));
    expect(sdl).toContain('directive @rateLimit(');
    for (const [field, { limit, duration }] of Object.entries({ ...declaredRateLimits(declaredSchema()), events: { limit: 1000, duration: 60 } })) {
      expect(sdl).toMatch(new RegExp(`\\n\\s+${field}(\\((?:[^()]|\\([^()]*\\))*\\))?: [^\\n]*@rateLimit\\(limit: ${limit}, duration: ${duration}\\)`));
    }
    expect(sdl).not.toMatch(/\n\s+health\b[^\n]*@rateLimit/);
    expect(sdl.match(/@rateLimit\(limit: 1000/g)).toHaveLength(1);
  });

  it('shows the admin field tokenStats limited in the checked-in schema', () => {
    const checkedIn = readFileSync(resolve(__dirname, '../../schema/schema.graphql'), 'utf8');
    expect(checkedIn).toMatch(/\n\s+tokenStats\(channel: Channel\): \[TokenStats!\]! @rateLimit\(limit: 30, duration: 60\)/);
  });
});

describeEachDatabase('rate limits with the default table', (target) => {
  let gateway: StartedGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway({ DATABASE_URL: target.freshUrl() });
  });
  afterAll(async () => {
    await gateway?.close();
    await target.dropAll();
  });

  it('refuses the 11th sign-in start in a minute with RATE_LIMITED and retryAfterSeconds, while health still answers', async () => {
    for (let call = 1; call <= 10; call += 1) {
      const response = await graphql(gateway!.url, START_SIGN_IN);
      expect(errorCodes(response)).not.toContain('RATE_LIMITED');
    }
    const refused = await graphql(gateway!.url, START_SIGN_IN);
    const error = rateLimitError(refused);
    expect(error).toBeDefined();
    expect(error!.path).toEqual(['startMicrosoftSignIn']);
    expect(error!.extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error!.extensions!.retryAfterSeconds).toBeLessThanOrEqual(60);
    const health = await graphql<{ health: { status: string } }>(gateway!.url, '{ health { status } }');
    expect(health.errors).toBeUndefined();
    expect(health.data!.health.status).toBe('OK');
  });
});

describe('the default limits', () => {
  let gateway: StartedGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway({ TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  // The published limits per caller: the last allowed call and the first refused one, field by field.
  it.each([
    ['startMicrosoftSignIn', 10],
    ['completeMicrosoftSignIn', 20],
    ['viewer', 100],
    ['microsoftProfile', 100],
    ['calendar', 100],
    ['events', 200],
    ['event', 200],
    ['createEvent', 50],
    ['updateEvent', 50],
    ['deleteEvent', 50],
    ['tokenStats', 30],
  ])('lets a caller call %s %i times, and refuses the next call', async (field, limit) => {
    const headers = { 'x-forwarded-for': `198.51.100.${Object.keys(OPERATION_FOR_FIELD).indexOf(field) + 100}` };
    const allowed = await Promise.all(Array.from({ length: limit }, () => graphql(gateway!.url, OPERATION_FOR_FIELD[field], { headers })));
    expect(allowed.filter(rateLimitError)).toEqual([]);
    const refused = await graphql(gateway!.url, OPERATION_FOR_FIELD[field], { headers });
    expect(rateLimitError(refused)?.path).toEqual([field]);
  });
});

describeEachDatabase('rate limits per field, caller and configuration', (target) => {
  const everyFieldOnce = Object.keys(OPERATION_FOR_FIELD).map((field) => `${field}=1/60`).join(',');
  let gateway: StartedGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway({ RATE_LIMITS: everyFieldOnce, TRUST_PROXY: 'true', DATABASE_URL: target.freshUrl() });
  });
  afterAll(async () => {
    await gateway?.close();
    await target.dropAll();
  });

  it.each(Object.entries(OPERATION_FOR_FIELD))('limits %s', async (field, operation) => {
    const headers = { 'x-forwarded-for': `203.0.113.${Object.keys(OPERATION_FOR_FIELD).indexOf(field) + 1}` };
    const first = await graphql(gateway!.url, operation, { headers });
    expect(rateLimitError(first)).toBeUndefined();
    const second = await graphql(gateway!.url, operation, { headers });
    expect(rateLimitError(second)?.path).toEqual([field]);
  });

  it.each(['tokenStats', 'webhookDeliveries'])('counts wrong admin tokens on %s too, so ADMIN_TOKEN cannot be guessed at full speed', async (field) => {
    const headers = { 'x-forwarded-for': `198.51.100.${field === 'tokenStats' ? 20 : 21}`, 'x-admin-token': 'a-wrong-guess' };
    expect(errorCodes(await graphql(gateway!.url, OPERATION_FOR_FIELD[field], { headers }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gateway!.url, OPERATION_FOR_FIELD[field], { headers }))).toEqual(['RATE_LIMITED']);
  });

  it('still answers the rest of the query when one field is over its limit', async () => {
    const headers = { 'x-forwarded-for': '198.51.100.7' };
    await graphql(gateway!.url, '{ viewer { id } }', { headers });
    const response = await graphql<{ health: { status: string } }>(gateway!.url, '{ health { status } viewer { id } }', { headers });
    expect(rateLimitError(response)?.path).toEqual(['viewer']);
    expect(response.data!.health.status).toBe('OK');
  });

  it('counts each client address apart when TRUST_PROXY is on, by the entry the proxy appended', async () => {
    const first = await graphql(gateway!.url, START_SIGN_IN, { headers: { 'x-forwarded-for': '10.0.0.1, 192.0.2.1' } });
    const other = await graphql(gateway!.url, START_SIGN_IN, { headers: { 'x-forwarded-for': '10.0.0.1, 192.0.2.2' } });
    expect(rateLimitError(first)).toBeUndefined();
    expect(rateLimitError(other)).toBeUndefined();
  });

  it('ignores the left-most X-Forwarded-For entries, which the client chose', async () => {
    const first = await graphql(gateway!.url, START_SIGN_IN, { headers: { 'x-forwarded-for': '192.0.2.31, 192.0.2.30' } });
    const spoofed = await graphql(gateway!.url, START_SIGN_IN, { headers: { 'x-forwarded-for': '192.0.2.32, 192.0.2.30' } });
    expect(rateLimitError(first)).toBeUndefined();
    expect(rateLimitError(spoofed)?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('counts each signed-in user apart, whatever address they call from', async () => {
    const headers = { 'x-forwarded-for': '192.0.2.99' };
    const tokens = await Promise.all(
      ['a', 'b'].map(async (name) => {
        const user = await gateway!.services.users.create({ tenantId: 'tenant', microsoftUserId: `user-${name}` });
        return (await gateway!.services.sessions.open(user.id)).sessionToken;
      }),
    );
    const first = await graphql(gateway!.url, '{ event(id: "AAMk") { id } }', { headers, token: tokens[0] });
    const other = await graphql(gateway!.url, '{ event(id: "AAMk") { id } }', { headers, token: tokens[1] });
    const again = await graphql(gateway!.url, '{ event(id: "AAMk") { id } }', { headers: { 'x-forwarded-for': '192.0.2.100' }, token: tokens[0] });
    expect(rateLimitError(first)).toBeUndefined();
    expect(rateLimitError(other)).toBeUndefined();
    expect(rateLimitError(again)).toBeDefined();
  });
});

describeEachDatabase('rate limits without a trusted proxy, and turned off', (target) => {
  afterAll(() => target.dropAll());

  it('ignores X-Forwarded-For unless TRUST_PROXY is on', async () => {
    const gateway = await startTestGateway({ RATE_LIMITS: 'startMicrosoftSignIn=1/60', DATABASE_URL: target.freshUrl() });
    try {
      await graphql(gateway.url, START_SIGN_IN, { headers: { 'x-forwarded-for': '192.0.2.1' } });
      const spoofed = await graphql(gateway.url, START_SIGN_IN, { headers: { 'x-forwarded-for': '192.0.2.2' } });
      expect(rateLimitError(spoofed)).toBeDefined();
    } finally {
      await gateway.close();
    }
  });

  it('limits nothing with RATE_LIMITS=off', async () => {
    const gateway = await startTestGateway({ RATE_LIMITS: 'off', DATABASE_URL: target.freshUrl() });
    try {
      for (let call = 1; call <= 12; call += 1) {
        expect(errorCodes(await graphql(gateway.url, START_SIGN_IN))).not.toContain('RATE_LIMITED');
      }
    } finally {
      await gateway.close();
    }
  });
});
