// Reads the environment (and an optional .env) once, validates it and builds the typed configuration.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Channel } from './channels';
import type { ChannelSettings, GatewayConfig, RateLimitOverride } from './config.types';
import { environmentSchema, type Environment } from './config.schema';
import { loadOrCreateDevelopmentSecret, MIN_SECRET_KEY_BYTES } from './secret-key';
import type { HttpLimits } from '../server/http-limits';

export const DEFAULT_SCOPES = 'openid profile offline_access User.Read Calendars.ReadWrite';
export const DEVELOPMENT_SECRET_PATH = 'data/secret.key';
/** ADMIN_TOKEN and METRICS_TOKEN in production: e.g. `openssl rand -base64 32` gives 44 characters. */
export const MIN_SHARED_TOKEN_LENGTH = 32;

/** A configuration problem: the message names the variable and what is expected, never its value. */
export class ConfigError extends Error {
  constructor(readonly variable: string, expectation: string) {
    super(`${variable}: ${expectation}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Read .env from the working folder (real variables win). Off in tests. */
  readDotEnv?: boolean;
  developmentSecretPath?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): GatewayConfig {
  const env = { ...(options.readDotEnv === false ? {} : readDotEnvFile('.env')), ...(options.env ?? process.env) };
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? 'configuration'), issue.message);
  }
  return buildConfig(parsed.data, options.developmentSecretPath ?? DEVELOPMENT_SECRET_PATH);
}

function buildConfig(env: Environment, developmentSecretPath: string): GatewayConfig {
  const isProduction = env.NODE_ENV === 'production';
  const useSandbox = !isProduction && (env.SANDBOX === 'on' || (env.SANDBOX === 'auto' && !env.MICROSOFT_CLIENT_ID));
  if (isProduction && env.SANDBOX === 'on') throw new ConfigError('SANDBOX', 'the sandbox cannot run with NODE_ENV=production');
  const port = env.PORT;
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const enabled = new Set(env.CHANNELS);
  if (!enabled.has(env.DEFAULT_CHANNEL)) throw new ConfigError('DEFAULT_CHANNEL', 'expected one of the channels listed in CHANNELS');
  const main = channelSettings(Channel.MAIN, env, enabled, publicUrl, useSandbox, {});
  const beta = channelSettings(Channel.BETA, env, enabled, publicUrl, useSandbox, main);
  return {
    port,
    host: env.HOST ?? (useSandbox ? '127.0.0.1' : '0.0.0.0'),
    publicUrl,
    nodeEnv: env.NODE_ENV,
    isProduction,
    databaseUrl: env.DATABASE_URL ?? 'file:./data/gateway.db',
    secretKey: readSecretKey(env, isProduction, developmentSecretPath),
    secretKeyFile: env.SECRET_KEY ? undefined : developmentSecretPath,
    tokenEncryptionKeys: parseEncryptionKeys(env.TOKEN_ENCRYPTION_KEY),
    defaultChannel: env.DEFAULT_CHANNEL as Channel,
    channels: { [Channel.MAIN]: main, [Channel.BETA]: beta },
    authorityHost: env.MICROSOFT_AUTHORITY_HOST.replace(/\/+$/, ''),
    graphBaseUrl: env.MICROSOFT_GRAPH_BASE_URL.replace(/\/+$/, ''),
    extraCaPem: env.MICROSOFT_CA_FILE ? [readCaFile(env.MICROSOFT_CA_FILE), ...readNodeExtraCa(env.NODE_EXTRA_CA_CERTS)] : [],
    sandbox: env.SANDBOX,
    useSandbox,
    adminToken: longSecret('ADMIN_TOKEN', env.ADMIN_TOKEN, isProduction),
    metricsToken: longSecret('METRICS_TOKEN', env.METRICS_TOKEN, isProduction),
    httpLimits: httpLimits(env),
    allowedReturnOrigins: parseAllowedOrigins(env.ALLOWED_RETURN_URLS),
    rateLimits: parseRateLimits(env.RATE_LIMITS),
    trustProxy: env.TRUST_PROXY,
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    logLevel: env.LOG_LEVEL,
    sessionTtlSeconds: Math.round(env.SESSION_TTL_DAYS * 86400),
  };
}

function channelSettings(
  channel: Channel,
  env: Environment,
  enabled: Set<string>,
  publicUrl: string,
  useSandbox: boolean,
  fallback: Partial<ChannelSettings>,
): ChannelSettings {
  const isBeta = channel === Channel.BETA;
  const ownClientId = isBeta ? env.MICROSOFT_BETA_CLIENT_ID : env.MICROSOFT_CLIENT_ID;
  const clientId = ownClientId ?? fallback.clientId;
  // Another app's secret never stands in: a channel with its own client id needs its own secret.
  const clientSecret = (isBeta ? env.MICROSOFT_BETA_CLIENT_SECRET : env.MICROSOFT_CLIENT_SECRET) ?? (ownClientId ? undefined : fallback.clientSecret);
  if (enabled.has(channel) && !useSandbox && clientId && !clientSecret) {
    const prefix = isBeta && ownClientId ? 'MICROSOFT_BETA_' : 'MICROSOFT_';
    throw new ConfigError(`${prefix}CLIENT_SECRET`, `required when ${prefix}CLIENT_ID is set (the ${channel.toUpperCase()} channel's app registration)`);
  }
  const scopes = (isBeta ? env.MICROSOFT_BETA_SCOPES : env.MICROSOFT_SCOPES) ?? fallback.scopes?.join(' ') ?? DEFAULT_SCOPES;
  return {
    channel,
    isEnabled: enabled.has(channel),
    isConfigured: useSandbox || Boolean(clientId && clientSecret),
    clientId,
    clientSecret,
    tenantId: (isBeta ? env.MICROSOFT_BETA_TENANT_ID : env.MICROSOFT_TENANT_ID) ?? fallback.tenantId ?? 'common',
    redirectUri:
      (isBeta ? env.MICROSOFT_BETA_REDIRECT_URI : env.MICROSOFT_REDIRECT_URI) ??
      fallback.redirectUri ??
      `${publicUrl}/auth/microsoft/callback`,
    scopes: scopes.split(/[\s,]+/).filter(Boolean),
    graphVersion: isBeta ? env.MICROSOFT_BETA_GRAPH_VERSION : env.MICROSOFT_GRAPH_VERSION,
    allowedTenants: (isBeta ? env.MICROSOFT_BETA_ALLOWED_TENANTS : env.MICROSOFT_ALLOWED_TENANTS) ?? fallback.allowedTenants ?? [],
  };
}

function readSecretKey(env: Environment, isProduction: boolean, developmentSecretPath: string): Buffer {
  let secret = env.SECRET_KEY;
  if (!secret) {
    if (isProduction) throw new ConfigError('SECRET_KEY', 'required when NODE_ENV=production (at least 32 bytes)');
    secret = loadOrCreateDevelopmentSecret(developmentSecretPath);
  }
  const bytes = Buffer.from(secret, 'utf8');
  if (bytes.length < MIN_SECRET_KEY_BYTES) throw new ConfigError('SECRET_KEY', `expected at least ${MIN_SECRET_KEY_BYTES} bytes`);
  return bytes;
}

/** Shared secrets an attacker may guess at over the network: in production, too long to guess. */
function longSecret(variable: string, value: string | undefined, isProduction: boolean): string | undefined {
  if (value && isProduction && value.length < MIN_SHARED_TOKEN_LENGTH) {
    throw new ConfigError(variable, `expected at least ${MIN_SHARED_TOKEN_LENGTH} characters when NODE_ENV=production`);
  }
  return value;
}

function httpLimits(env: Environment): HttpLimits {
  // Node refuses to start a server whose headers timeout exceeds its request timeout; say so in configuration terms.
  if (env.HTTP_HEADERS_TIMEOUT_SECONDS > env.HTTP_REQUEST_TIMEOUT_SECONDS) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_SECONDS', 'expected at most HTTP_REQUEST_TIMEOUT_SECONDS');
  }
  return {
    headersTimeoutMs: Math.round(env.HTTP_HEADERS_TIMEOUT_SECONDS * 1000),
    requestTimeoutMs: Math.round(env.HTTP_REQUEST_TIMEOUT_SECONDS * 1000),
    maxConnections: env.MAX_CONNECTIONS,
  };
}

function parseEncryptionKeys(value: string | undefined): Buffer[] {
  if (!value) return [];
  return value.split(',').map((text, index) => {
    const key = Buffer.from(text.trim(), 'base64');
    if (key.length !== 32) {
      throw new ConfigError('TOKEN_ENCRYPTION_KEY', `expected base64 32-byte keys, comma-separated (key ${index + 1} is not)`);
    }
    return key;
  });
}

function parseAllowedOrigins(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(',').map((text) => {
    try {
      const url = new URL(text.trim());
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
      return url.origin;
    } catch {
      throw new ConfigError('ALLOWED_RETURN_URLS', 'expected comma-separated http or https origins');
    }
  });
}

function parseRateLimits(value: string | undefined): GatewayConfig['rateLimits'] {
  if (!value) return {};
  if (value.toLowerCase() === 'off') return 'off';
  const overrides: Record<string, RateLimitOverride> = {};
  for (const entry of value.split(',')) {
    const match = /^\s*([A-Za-z]+)\s*=\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(entry);
    if (!match || Number(match[3]) === 0) {
      throw new ConfigError('RATE_LIMITS', 'expected off or comma-separated field=count/seconds, e.g. events=1000/60');
    }
    // The names are checked at start-up against the limits the fields declare (applyRateLimitSettings).
    overrides[match[1]] = { points: Number(match[2]), durationSeconds: Number(match[3]) };
  }
  return overrides;
}

function readCaFile(path: string): string {
  try {
    const pem = readFileSync(path, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('not PEM');
    return pem;
  } catch {
    throw new ConfigError('MICROSOFT_CA_FILE', 'expected a readable PEM file of certificates');
  }
}

/**
 * With MICROSOFT_CA_FILE the gateway builds its own trust store, which would leave out Node's NODE_EXTRA_CA_CERTS
 * (Node 20 cannot list its default store); read it too so both are honoured. Node itself warns when it is unreadable.
 */
function readNodeExtraCa(path: string | undefined): string[] {
  if (!path) return [];
  try {
    return [readFileSync(path, 'utf8')];
  } catch {
    return [];
  }
}

function readDotEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trim().startsWith('#')) continue;
    values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

/** A short fingerprint of a secret, for logs that must tell keys apart without revealing them. */
export function fingerprint(secret: Buffer): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 8);
}
