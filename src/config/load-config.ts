// Reads the environment (and an optional .env) once, validates it and builds the typed configuration.
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { Channel } from './channels';
import { readClientCertificate, type ClientCertificate } from './client-certificate';
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
  /** Where the .env file is; `.env` in the working folder unless a test points elsewhere. */
  dotEnvPath?: string;
  developmentSecretPath?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): GatewayConfig {
  const env = { ...(options.readDotEnv === false ? {} : readDotEnvFile(options.dotEnvPath ?? '.env')), ...(options.env ?? process.env) };
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
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    graphqlIde: env.GRAPHQL_IDE,
    rateLimits: parseRateLimits(env.RATE_LIMITS),
    trustProxy: env.TRUST_PROXY,
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    logLevel: env.LOG_LEVEL,
    sessionTtlSeconds: Math.round(env.SESSION_TTL_DAYS * 86400),
    webhook: webhookSettings(env),
    refreshIdleAfterMs: env.REFRESH_IDLE_AFTER,
    refreshGiveUpAfterMs: env.REFRESH_GIVE_UP_AFTER,
    microsoftSubscriptions: env.MICROSOFT_SUBSCRIPTIONS,
    notificationUrl: env.MICROSOFT_NOTIFICATION_URL?.replace(/\/+$/, ''),
  };
}

/** Both or neither: a URL without a secret would send unsigned events, a secret without a URL is a typo. */
function webhookSettings(env: Environment): GatewayConfig['webhook'] {
  if (!env.WEBHOOK_URL && !env.WEBHOOK_SECRET) return undefined;
  if (!env.WEBHOOK_SECRET) throw new ConfigError('WEBHOOK_SECRET', 'required when WEBHOOK_URL is set (a whsec_… secret)');
  if (!env.WEBHOOK_URL) throw new ConfigError('WEBHOOK_URL', 'required when WEBHOOK_SECRET is set');
  try {
    // The signer decodes the secret itself; a secret it cannot decode must stop the start with this line, not a stack.
    new Webhook(env.WEBHOOK_SECRET);
  } catch {
    throw new ConfigError('WEBHOOK_SECRET', 'expected whsec_ followed by a base64 key');
  }
  return { url: env.WEBHOOK_URL, secret: env.WEBHOOK_SECRET };
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
  const { clientSecret, clientCertificate, clientSecretExpiresAt } = channelCredentials(isBeta, env, Boolean(ownClientId), fallback);
  if (enabled.has(channel) && !useSandbox && clientId && !clientSecret && !clientCertificate) {
    const prefix = isBeta && ownClientId ? 'MICROSOFT_BETA_' : 'MICROSOFT_';
    throw new ConfigError(
      `${prefix}CLIENT_SECRET or ${prefix}CLIENT_CERTIFICATE_FILE`,
      `one is required when ${prefix}CLIENT_ID is set (the ${channel.toUpperCase()} channel's app registration)`,
    );
  }
  const scopes = (isBeta ? env.MICROSOFT_BETA_SCOPES : env.MICROSOFT_SCOPES) ?? fallback.scopes?.join(' ') ?? DEFAULT_SCOPES;
  return {
    channel,
    isEnabled: enabled.has(channel),
    isConfigured: useSandbox || Boolean(clientId && (clientSecret || clientCertificate)),
    clientId,
    clientSecret,
    clientCertificate,
    clientSecretExpiresAt,
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

/** Another app's credentials never stand in: a channel with its own client id needs its own secret or certificate. */
function channelCredentials(
  isBeta: boolean,
  env: Environment,
  hasOwnClientId: boolean,
  fallback: Partial<ChannelSettings>,
): Pick<ChannelSettings, 'clientSecret' | 'clientCertificate' | 'clientSecretExpiresAt'> {
  const ownSecret = isBeta ? env.MICROSOFT_BETA_CLIENT_SECRET : env.MICROSOFT_CLIENT_SECRET;
  const certificateFile = isBeta ? env.MICROSOFT_BETA_CLIENT_CERTIFICATE_FILE : env.MICROSOFT_CLIENT_CERTIFICATE_FILE;
  const ownSecretExpiresAt = isBeta ? env.MICROSOFT_BETA_CLIENT_SECRET_EXPIRES_AT : env.MICROSOFT_CLIENT_SECRET_EXPIRES_AT;
  const certificateVariable = `${isBeta ? 'MICROSOFT_BETA_' : 'MICROSOFT_'}CLIENT_CERTIFICATE_FILE`;
  return {
    clientSecret: ownSecret ?? (hasOwnClientId ? undefined : fallback.clientSecret),
    clientCertificate: certificateFile ? readCertificateSetting(certificateVariable, certificateFile) : hasOwnClientId ? undefined : fallback.clientCertificate,
    // The main secret's expiry date goes with the main secret, wherever that is used.
    clientSecretExpiresAt: ownSecretExpiresAt ?? (ownSecret || hasOwnClientId ? undefined : fallback.clientSecretExpiresAt),
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

/** A browser's Origin header is scheme://host[:port] exactly: a path would never match it, so it is refused rather than ignored. */
function parseCorsOrigins(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(',').map((text) => {
    try {
      const url = new URL(text.trim());
      const isOriginOnly = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
      if ((url.protocol === 'https:' || url.protocol === 'http:') && isOriginOnly) return url.origin;
    } catch {
      // Reported below with the expected form.
    }
    throw new ConfigError('CORS_ORIGINS', 'expected comma-separated origins such as https://app.example.com or http://localhost:3000 (scheme, host and optional port; no path)');
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

function readCertificateSetting(variable: string, path: string): ClientCertificate {
  try {
    return readClientCertificate(path);
  } catch (error) {
    throw new ConfigError(variable, `expected a readable PEM file holding the app's certificate and its private key (${(error as Error).message})`);
  }
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

/** Node's own .env parser, the one behind `node --env-file`: quotes, inline comments, `export`, multi-line values. */
function readDotEnvFile(path: string): NodeJS.Dict<string> {
  return existsSync(path) ? parseEnv(readFileSync(path, 'utf8')) : {};
}

