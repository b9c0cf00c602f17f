// The validated, typed configuration every other module receives from the composition root.
import type { Channel } from './channels';

export interface ChannelSettings {
  channel: Channel;
  /** Listed in CHANNELS. */
  isEnabled: boolean;
  /** Has a client id and secret (or runs against the sandbox, which supplies them). */
  isConfigured: boolean;
  clientId?: string;
  clientSecret?: string;
  tenantId: string;
  redirectUri: string;
  scopes: string[];
  graphVersion: string;
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
  /** Explicit TOKEN_ENCRYPTION_KEY keys; the first encrypts, all decrypt. Empty when derived from SECRET_KEY. */
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
}
