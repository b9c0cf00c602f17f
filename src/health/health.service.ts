// Decides the gateway's health from a database round trip and each channel's settings (credentials near expiry included).
import { ALL_CHANNELS } from '../config/channels';
import type { GatewayConfig } from '../config/config.types';
import { HealthStatus } from '../graphql/enums';
import { VERSION } from '../version';
import { credentialWarnings, type CredentialWarning } from './credential-expiry';
import type { DatabaseProbe } from './database-probe';
import type { ChannelHealth, ComponentHealth, Health } from './health.types';

export class HealthService {
  private readonly startedAt: number;

  constructor(
    private readonly config: GatewayConfig,
    private readonly database: DatabaseProbe,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** Credentials that expire within 30 days or have expired; none against the sandbox, whose app the gateway derives. */
  credentialWarnings(): CredentialWarning[] {
    if (this.config.useSandbox) return [];
    return credentialWarnings(ALL_CHANNELS.map((channel) => this.config.channels[channel]), this.now());
  }

  async checkDatabase(): Promise<ComponentHealth> {
    try {
      const latencyMs = await this.database.ping();
      return { status: HealthStatus.OK, latencyMs: Math.round(latencyMs * 1000) / 1000, message: null };
    } catch {
      return { status: HealthStatus.DOWN, latencyMs: null, message: 'The database did not answer.' };
    }
  }

  channels(): ChannelHealth[] {
    const warnings = this.credentialWarnings();
    return ALL_CHANNELS.map((channel) => {
      const settings = this.config.channels[channel];
      return {
        channel,
        enabled: settings.isEnabled,
        configured: settings.isConfigured,
        authorityHost: this.config.authorityHost,
        graphBaseUrl: this.config.graphBaseUrl,
        clientSecretExpiresAt: settings.clientSecretExpiresAt ?? null,
        warning: warnings.find((warning) => warning.channel === channel)?.message ?? null,
      };
    });
  }

  async check(): Promise<Health> {
    const database = await this.checkDatabase();
    const channels = this.channels();
    const isDegraded = channels.some((channel) => channel.enabled && (!channel.configured || channel.warning));
    return {
      status: database.status === HealthStatus.DOWN ? HealthStatus.DOWN : isDegraded ? HealthStatus.DEGRADED : HealthStatus.OK,
      version: VERSION,
      uptimeSeconds: Math.round((this.now() - this.startedAt) / 10) / 100,
      sandbox: this.config.useSandbox,
      database,
      channels,
    };
  }
}
