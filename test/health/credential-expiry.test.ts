// Health turns DEGRADED, and the start-up log warns, from 30 days before a client secret or certificate expires.
import { credentialWarnings } from '../../src/health/credential-expiry';
import { Channel } from '../../src/config/channels';
import type { ChannelSettings } from '../../src/config/config.types';
import { graphql } from '../support/http';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

const EXPIRY = '2026-03-31';
const DAY_MS = 86_400_000;
const daysBefore = (days: number) => Date.parse(`${EXPIRY}T00:00:00Z`) - days * DAY_MS;

const channel = (overrides: Partial<ChannelSettings>): ChannelSettings => ({
  channel: Channel.MAIN, isEnabled: true, isConfigured: true, clientId: 'app', clientSecret: 'secret', tenantId: 'common',
  redirectUri: 'https://gw.example/auth/microsoft/callback', scopes: [], graphVersion: 'v1.0', allowedTenants: [], ...overrides,
});

describe('credentialWarnings', () => {
  const secret = { clientSecretExpiresAt: new Date(`${EXPIRY}T00:00:00Z`) };

  it.each([
    [31, undefined],
    [30, "The MAIN channel's client secret expires on 2026-03-31 (in 30 days); add a new secret to the app registration, then set MICROSOFT_CLIENT_SECRET and MICROSOFT_CLIENT_SECRET_EXPIRES_AT."],
    [0.5, "The MAIN channel's client secret expires on 2026-03-31 (in 1 day); add a new secret to the app registration, then set MICROSOFT_CLIENT_SECRET and MICROSOFT_CLIENT_SECRET_EXPIRES_AT."],
    [-2, "The MAIN channel's client secret expired on 2026-03-31: Microsoft refuses sign-ins and token refreshes on this channel until it is replaced; add a new secret to the app registration, then set MICROSOFT_CLIENT_SECRET and MICROSOFT_CLIENT_SECRET_EXPIRES_AT."],
  ])('%s days before the expiry: %s', (days, message) => {
    expect(credentialWarnings([channel(secret)], daysBefore(days))[0]?.message).toBe(message);
  });

  it('names the beta variables, ignores disabled channels, and judges a certificate by its own expiry', () => {
    const certificate = { thumbprintSha256: '00', privateKeyPem: '', certificatePem: '', expiresAt: new Date('2026-04-10T00:00:00Z') };
    const warnings = credentialWarnings([
      channel({ ...secret, isEnabled: false }),
      channel({ ...secret, channel: Channel.BETA, clientCertificate: certificate }),
    ], daysBefore(20));
    expect(warnings).toEqual([expect.objectContaining({ channel: Channel.BETA, credential: 'client certificate', expiresAt: certificate.expiresAt })]);
    expect(warnings[0].message).toContain('MICROSOFT_BETA_CLIENT_CERTIFICATE_FILE');
  });
});

describe('health with an expiring client secret', () => {
  const gateways: StartedGateway[] = [];
  const start = async (now: number) => {
    const gateway = await startTestGateway({ MICROSOFT_CLIENT_SECRET_EXPIRES_AT: EXPIRY }, { now: () => now });
    gateways.push(gateway);
    return gateway;
  };
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
  });

  const health = async (gateway: StartedGateway) =>
    (await graphql<{ health: { status: string; channels: Array<{ channel: string; clientSecretExpiresAt: string; warning: string | null }> } }>(
      gateway.url,
      '{ health { status channels { channel clientSecretExpiresAt warning } } }',
    )).data!.health;

  it('stays OK and quiet 31 days before the expiry', async () => {
    const gateway = await start(daysBefore(31));
    expect(await health(gateway)).toEqual({
      status: 'OK',
      channels: [
        { channel: 'MAIN', clientSecretExpiresAt: '2026-03-31T00:00:00.000Z', warning: null },
        { channel: 'BETA', clientSecretExpiresAt: '2026-03-31T00:00:00.000Z', warning: null },
      ],
    });
    expect(gateway.logLines.join('')).not.toContain('client secret');
  });

  it('turns DEGRADED 30 days before, naming each channel and the date, and warns at start', async () => {
    const gateway = await start(daysBefore(30));
    const answer = await health(gateway);
    expect(answer.status).toBe('DEGRADED');
    expect(answer.channels.map((entry) => entry.warning)).toEqual([
      expect.stringMatching(/^The MAIN channel's client secret expires on 2026-03-31 \(in 30 days\)/),
      expect.stringMatching(/^The BETA channel's client secret expires on 2026-03-31 \(in 30 days\)/),
    ]);
    const warned = gateway.logLines.map((line) => JSON.parse(line)).filter((line) => line.credential === 'client secret');
    expect(warned).toEqual([
      expect.objectContaining({ level: 40, channel: 'main', expiresAt: '2026-03-31T00:00:00.000Z', msg: answer.channels[0].warning }),
      expect.objectContaining({ level: 40, channel: 'beta', expiresAt: '2026-03-31T00:00:00.000Z' }),
    ]);
    expect(gateway.logLines.join('')).not.toContain('test-client-secret');
  });
});
