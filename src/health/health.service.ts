// Decides the gateway's health from a database round trip and each channel's settings.
import { ALL_CHANNELS } from '../config/channels';
import type { GatewayConfig } from '../config/config.types';
import { HealthStatus } from '../graphql/enums';
import { VERSION } from '../version';
import type { DatabaseProbe } from './database-probe';
import type { ChannelHealth, ComponentHealth, Health } from './health.types';

export class HealthService {
  private readonly startedAt = Date.now();

  constructor(
    private readonly config: GatewayConfig,
    private readonly database: DatabaseProbe,
  ) {}

  async checkDatabase(): Promise<ComponentHealth> {
    try {
      const latencyMs = await this.database.ping();
      return { status: HealthStatus.OK, latencyMs: Math.round(latencyMs * 1000) / 1000, message: null };
    } catch {
      return { status: HealthStatus.DOWN, latencyMs: null, message: 'The database did not answer.' };
    }
  }

  channels(): ChannelHealth[] {
    return ALL_CHANNELS.map((channel) => {
      const settings = this.config.channels[channel];
      return {
        channel,
        enabled: settings.isEnabled,
        configured: settings.isConfigured,
        authorityHost: this.config.authorityHost,
        graphBaseUrl: this.config.graphBaseUrl,
      };
    });
  }

  async check(): Promise<Health> {
    const database = await this.checkDatabase();
    const channels = this.channels();
    const isDegraded = channels.some((channel) => channel.enabled && !channel.configured);
    return {
      status: database.status === HealthStatus.DOWN ? HealthStatus.DOWN : isDegraded ? HealthStatus.DEGRADED : HealthStatus.OK,
      version: VERSION,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 10) / 100,
      sandbox: this.config.useSandbox,
      database,
      channels,
    };
  }
}
