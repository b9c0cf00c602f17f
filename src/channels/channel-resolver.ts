// Turns a field's optional `channel` argument into that channel's settings, or CHANNEL_DISABLED.
import type { Channel } from '../config/channels';
import type { ChannelSettings, GatewayConfig } from '../config/config.types';
import { errors } from '../errors/gateway-errors';

export class ChannelResolver {
  constructor(private readonly config: Pick<GatewayConfig, 'channels' | 'defaultChannel'>) {}

  /** The channel a call goes through: the requested one, else DEFAULT_CHANNEL. */
  resolve(requested?: Channel | null): ChannelSettings {
    const settings = this.config.channels[requested ?? this.config.defaultChannel];
    if (!settings.isEnabled || !settings.isConfigured) throw errors.channelDisabled(settings.channel);
    return settings;
  }
}
