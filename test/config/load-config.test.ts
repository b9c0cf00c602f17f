import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Channel } from '../../src/config/channels';
import { ConfigError, loadConfig } from '../../src/config/load-config';

const base = { NODE_ENV: 'test', SECRET_KEY: 'a'.repeat(40), DATABASE_URL: ':memory:' };
const load = (env: Record<string, string>, developmentSecretPath = '/nonexistent/secret.key') =>
  loadConfig({ env, readDotEnv: false, developmentSecretPath });

function configError(env: Record<string, string>): ConfigError {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the contract defaults with no settings but a secret', () => {
    const config = load(base);
    expect(config.port).toBe(4000);
    expect(config.publicUrl).toBe('http://localhost:4000');
    expect(config.defaultChannel).toBe(Channel.MAIN);
    expect(config.channels.main.redirectUri).toBe('http://localhost:4000/auth/microsoft/callback');
    expect(config.channels.main.scopes).toEqual(['openid', 'profile', 'offline_access', 'User.Read', 'Calendars.ReadWrite']);
    expect(config.channels.main.tenantId).toBe('common');
    expect(config.useSandbox).toBe(true);
    expect(config.host).toBe('127.0.0.1');
    expect(config.authorityHost).toBe('https://login.microsoftonline.com');
  });

  it('gives the beta channel the main values unless it has its own', () => {
    const config = load({ ...base, MICROSOFT_CLIENT_ID: 'main-id', MICROSOFT_CLIENT_SECRET: 's', MICROSOFT_BETA_TENANT_ID: 'contoso' });
    expect(config.channels.beta.clientId).toBe('main-id');
    expect(config.channels.beta.tenantId).toBe('contoso');
    expect(config.channels.main.tenantId).toBe('common');
    expect(config.useSandbox).toBe(false);
    expect(config.host).toBe('0.0.0.0');
  });

  it('refuses production without SECRET_KEY, naming the variable', () => {
    const error = configError({ NODE_ENV: 'production', MICROSOFT_CLIENT_ID: 'x', MICROSOFT_CLIENT_SECRET: 'y' });
    expect(error.variable).toBe('SECRET_KEY');
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('refuses a SECRET_KEY shorter than 32 bytes without echoing it', () => {
    const error = configError({ ...base, SECRET_KEY: 'tiny-secret-value' });
    expect(error.variable).toBe('SECRET_KEY');
    expect(error.message).not.toContain('tiny-secret-value');
  });

  it.each([
    ['PORT', 'not-a-port'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://db'],
    ['DEFAULT_CHANNEL', 'gamma'],
    ['CHANNELS', 'main,gamma'],
    ['SANDBOX', 'maybe'],
    ['TRUST_PROXY', 'perhaps'],
    ['RATE_LIMITS', 'events=lots'],
    ['RATE_LIMITS', 'evnets=1000/60'],
    ['RATE_LIMITS', 'health=5/60'],
    ['TOKEN_ENCRYPTION_KEY', 'c2hvcnQ='],
    ['ALLOWED_RETURN_URLS', 'not a url'],
    ['CORS_ORIGINS', 'https://app.example.com/path'],
    ['CORS_ORIGINS', 'https://app.example.com,*'],
    ['CORS_ORIGINS', 'ftp://files.example.com'],
    ['GRAPHQL_IDE', 'playground'],
    ['MICROSOFT_CA_FILE', '/nonexistent/ca.pem'],
    ['LOG_LEVEL', 'loud'],
    ['REDIS_KEY_PREFIX', 'two words'],
  ])('names %s when it is malformed', (variable, value) => {
    const error = configError({ ...base, [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable}: expected`));
  });

  it('refuses a default channel that is not enabled', () => {
    expect(configError({ ...base, CHANNELS: 'beta' }).variable).toBe('DEFAULT_CHANNEL');
  });

  it('parses rate limit overrides and off', () => {
    expect(load({ ...base, RATE_LIMITS: 'events=1000/60, startMicrosoftSignIn=20/60' }).rateLimits).toEqual({
      events: { points: 1000, durationSeconds: 60 },
      startMicrosoftSignIn: { points: 20, durationSeconds: 60 },
    });
    expect(load({ ...base, RATE_LIMITS: 'off' }).rateLimits).toBe('off');
  });

  it('keeps allowed return URLs as origins', () => {
    expect(load({ ...base, ALLOWED_RETURN_URLS: 'https://app.example.com/path,http://localhost:3000' }).allowedReturnOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
    ]);
  });

  it('keeps CORS origins as scheme, host and port, and none by default', () => {
    expect(load({ ...base, CORS_ORIGINS: ' https://App.example.com/ , http://localhost:3000' }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
    ]);
    expect(load(base).corsOrigins).toEqual([]);
  });

  it('generates a development secret once, with mode 0600, and reuses it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gw-secret-')), 'data', 'secret.key');
    const first = load({ NODE_ENV: 'development' }, path);
    const second = load({ NODE_ENV: 'development' }, path);
    expect(first.secretKey.equals(second.secretKey)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim().length).toBeGreaterThanOrEqual(32);
  });
});

describe('trusted certificate authorities', () => {
  it('honours NODE_EXTRA_CA_CERTS beside MICROSOFT_CA_FILE', () => {
    const folder = mkdtempSync(join(tmpdir(), 'gw-ca-'));
    const pem = (name: string) => `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`;
    writeFileSync(join(folder, 'microsoft.pem'), pem('microsoft'));
    writeFileSync(join(folder, 'extra.pem'), pem('extra'));
    const config = load({ ...base, MICROSOFT_CA_FILE: join(folder, 'microsoft.pem'), NODE_EXTRA_CA_CERTS: join(folder, 'extra.pem') });
    expect(config.extraCaPem).toEqual([pem('microsoft'), pem('extra')]);
    expect(load({ ...base, NODE_EXTRA_CA_CERTS: join(folder, 'extra.pem') }).extraCaPem).toEqual([]);
  });
});
