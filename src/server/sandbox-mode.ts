// Points every channel at the built-in Microsoft sandbox when the gateway runs without Microsoft settings.
import { randomBytes } from 'node:crypto';
import { ALL_CHANNELS } from '../config/channels';
import type { ChannelSettings, GatewayConfig } from '../config/config.types';
import type { Sandbox } from '../sandbox';

export function registerGatewayWithSandbox(config: GatewayConfig, sandbox: Sandbox): GatewayConfig {
  const channels = { ...config.channels };
  for (const channel of ALL_CHANNELS) {
    const settings: ChannelSettings = {
      ...config.channels[channel],
      // A client id of its own per gateway, so several gateways can share one sandbox without replacing each other's secret.
      clientId: `sandbox-${channel}-${randomBytes(6).toString('hex')}`,
      clientSecret: randomBytes(24).toString('base64url'),
      isConfigured: true,
    };
    sandbox.registerApp({ clientId: settings.clientId!, clientSecret: settings.clientSecret!, redirectUris: [settings.redirectUri] });
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
