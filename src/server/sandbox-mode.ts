// Points every channel at the built-in Microsoft sandbox when the gateway runs without Microsoft settings.
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { ALL_CHANNELS, type Channel } from '../config/channels';
import type { ChannelSettings, GatewayConfig } from '../config/config.types';
import { dialectOf, sqlitePathFromUrl } from '../db/database';
import type { Sandbox } from '../sandbox';

/** The built-in sandbox keeps its state beside a SQLite database file, so a restart keeps users, events and grants. */
export function sandboxStateFileFor(databaseUrl: string): string | undefined {
  if (dialectOf(databaseUrl) !== 'sqlite') return undefined;
  const file = sqlitePathFromUrl(databaseUrl);
  return file === ':memory:' ? undefined : path.join(path.dirname(file), 'sandbox-state.json');
}

/**
 * The gateway's app registration in the sandbox, derived from SECRET_KEY: the same after a restart (the sandbox's
 * refresh tokens are bound to the client id), and different for each gateway and redirect URI sharing one sandbox,
 * so that they never replace each other's registration.
 */
function sandboxApp(config: GatewayConfig, channel: Channel, redirectUri: string): { clientId: string; clientSecret: string } {
  const derive = (purpose: string) => createHmac('sha256', config.secretKey).update(`sandbox-app:${purpose}:${channel}:${redirectUri}`).digest();
  return {
    clientId: `sandbox-${channel}-${derive('id').toString('hex').slice(0, 12)}`,
    clientSecret: derive('secret').toString('base64url'),
  };
}

export function registerGatewayWithSandbox(config: GatewayConfig, sandbox: Sandbox): GatewayConfig {
  const channels = { ...config.channels };
  for (const channel of ALL_CHANNELS) {
    const settings: ChannelSettings = {
      ...config.channels[channel],
      ...sandboxApp(config, channel, config.channels[channel].redirectUri),
      isConfigured: true,
    };
    sandbox.registerApp({
      clientId: settings.clientId!,
      clientSecret: settings.clientSecret!,
      // A configured certificate is what the gateway will sign with: the sandbox app accepts it.
      ...(settings.clientCertificate ? { certificate: settings.clientCertificate.certificatePem } : {}),
      redirectUris: [settings.redirectUri],
    });
    channels[channel] = settings;
  }
  return {
    ...config,
    channels,
    authorityHost: sandbox.authorityHost,
    graphBaseUrl: sandbox.graphBaseUrl,
    extraCaPem: [...config.extraCaPem, sandbox.caCertificatePem],
  };
}
