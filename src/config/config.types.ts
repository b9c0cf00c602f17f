// The validated, typed configuration every other module receives from the composition root.
import type { HttpLimits } from '../server/http-limits';
import type { Channel } from './channels';
import type { ClientCertificate } from './client-certificate';

export interface ChannelSettings {
  channel: Channel;
  /** Listed in CHANNELS. */
  isEnabled: boolean;
  /** Has a client id and a secret or certificate (or runs against the sandbox, which supplies them). */
  isConfigured: boolean;
  clientId?: string;
  clientSecret?: string;
  /** MICROSOFT_CLIENT_CERTIFICATE_FILE: with it, the app authenticates with signed client assertions and never sends the secret. */
  clientCertificate?: ClientCertificate;
  /** MICROSOFT_CLIENT_SECRET_EXPIRES_AT: health warns ahead of it. */
  clientSecretExpiresAt?: Date;
  tenantId: string;
  redirectUri: string;
  scopes: string[];
  graphVersion: string;
  /** Lower-case tenant GUIDs whose users may sign in (MICROSOFT_ALLOWED_TENANTS); empty allows any tenant. */
  allowedTenants: string[];
}

export interface RateLimitOverride {
  points: number;
  durationSeconds: number;
}

export interface GatewayConfig {
  port: number;
  host: string;
  publicUrl: string;
  nodeEnv: 'development' | 'production' | 'test';
  isProduction: boolean;
  databaseUrl: string;
  /** Root secret: session signing, cursor integrity, and the derived encryption key. */
  secretKey: Buffer;
  /** Where the root secret was generated and kept, when SECRET_KEY was not set (development only). */
  secretKeyFile?: string;
  /** Explicit TOKEN_ENCRYPTION_KEY keys; the first encrypts, all decrypt, as does the key derived from SECRET_KEY. */
  tokenEncryptionKeys: Buffer[];
  defaultChannel: Channel;
  channels: Record<Channel, ChannelSettings>;
  authorityHost: string;
  graphBaseUrl: string;
  /** PEM certificate authorities trusted for Microsoft calls (MICROSOFT_CA_FILE, the sandbox). */
  extraCaPem: string[];
  sandbox: 'auto' | 'on' | 'off';
  /** Whether this process runs against the built-in Microsoft sandbox. */
  useSandbox: boolean;
  adminToken?: string;
  /** Bearer token /metrics requires when set; without it, production serves /metrics to loopback callers only. */
  metricsToken?: string;
  /** Timeouts for slow senders and the cap on open connections. */
  httpLimits: HttpLimits;
  allowedReturnOrigins: string[];
  /** Origins whose browser pages may call /graphql (CORS_ORIGINS); sandbox mode also allows http://localhost:* and http://127.0.0.1:*. */
  corsOrigins: string[];
  /** The IDE that GET /graphql shows a browser outside production: ruru (served from the installed package), Apollo Sandbox (from its CDN), or none. */
  graphqlIde: 'ruru' | 'apollo' | 'off';
  rateLimits: 'off' | Record<string, RateLimitOverride>;
  trustProxy: boolean;
  redisUrl?: string;
  /** Put before every Redis key and channel name, so several deployments (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  logLevel: string;
  sessionTtlSeconds: number;
  /** Where connection events go, signed with the secret (WEBHOOK_URL, WEBHOOK_SECRET); undefined turns webhooks off. */
  webhook?: { url: string; secret: string };
  /** REFRESH_IDLE_AFTER: the sweep refreshes active connections not refreshed for this long. */
  refreshIdleAfterMs: number;
  /** REFRESH_GIVE_UP_AFTER: transient refresh failures for this long make a connection NEEDS_RECONNECT. */
  refreshGiveUpAfterMs: number;
  /** When Graph change-notification subscriptions exist: while a client listens (on-demand), for every active connection (all), never (off). */
  microsoftSubscriptions: 'on-demand' | 'all' | 'off';
  /** MICROSOFT_NOTIFICATION_URL; unset means $PUBLIC_URL/microsoft/notifications, decided once the port is known. */
  notificationUrl?: string;
}
