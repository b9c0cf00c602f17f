import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Channel } from '../../src/config/channels';
import { ConfigError, loadConfig } from '../../src/config/load-config';
import { createTestCertificate, type TestCertificate } from '../support/client-certificate';

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

  it.each([
    [{ MICROSOFT_CLIENT_ID: 'main-id' }, 'MICROSOFT_'],
    [{ MICROSOFT_CLIENT_ID: 'main-id', MICROSOFT_CLIENT_SECRET: 's', MICROSOFT_BETA_CLIENT_ID: 'beta-id' }, 'MICROSOFT_BETA_'],
  ])('refuses an enabled channel with a client id but neither secret nor certificate, naming both variables (%o)', (env, prefix) => {
    const error = configError({ ...base, ...env });
    expect(error.variable).toBe(`${prefix}CLIENT_SECRET or ${prefix}CLIENT_CERTIFICATE_FILE`);
    expect(error.message).toBe(`${prefix}CLIENT_SECRET or ${prefix}CLIENT_CERTIFICATE_FILE: one is required when ${prefix}CLIENT_ID is set (the ${prefix === 'MICROSOFT_' ? 'MAIN' : 'BETA'} channel's app registration)`);
  });

  it('does not ask a disabled channel for its secret', () => {
    const config = load({ ...base, CHANNELS: 'main', MICROSOFT_CLIENT_ID: 'main-id', MICROSOFT_CLIENT_SECRET: 's', MICROSOFT_BETA_CLIENT_ID: 'beta-id' });
    expect(config.channels.beta.isEnabled).toBe(false);
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
    ['TOKEN_ENCRYPTION_KEY', 'c2hvcnQ='],
    ['ALLOWED_RETURN_URLS', 'not a url'],
    ['CORS_ORIGINS', 'https://app.example.com/path'],
    ['CORS_ORIGINS', 'https://app.example.com,*'],
    ['CORS_ORIGINS', 'ftp://files.example.com'],
    ['GRAPHQL_IDE', 'playground'],
    ['MICROSOFT_CA_FILE', '/nonexistent/ca.pem'],
    ['LOG_LEVEL', 'loud'],
    ['REDIS_KEY_PREFIX', 'two words'],
    ['HTTP_HEADERS_TIMEOUT_SECONDS', 'soon'],
    ['HTTP_REQUEST_TIMEOUT_SECONDS', '0'],
    ['MAX_CONNECTIONS', '-5'],
    ['MAX_CONNECTIONS', '1.5'],
    ['MICROSOFT_ALLOWED_TENANTS', 'contoso.onmicrosoft.com'],
    ['MICROSOFT_BETA_ALLOWED_TENANTS', '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b,common'],
    ['MICROSOFT_CLIENT_SECRET_EXPIRES_AT', 'next spring'],
    ['MICROSOFT_BETA_CLIENT_SECRET_EXPIRES_AT', '2026-02-30'],
    ['MICROSOFT_CLIENT_CERTIFICATE_FILE', '/nonexistent/app.pem'],
  ])('names %s when it is malformed', (variable, value) => {
    const error = configError({ ...base, [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable}: expected`));
  });

  it('refuses a default channel that is not enabled', () => {
    expect(configError({ ...base, CHANNELS: 'beta' }).variable).toBe('DEFAULT_CHANNEL');
  });

  it.each(['ADMIN_TOKEN', 'METRICS_TOKEN'])('refuses a %s shorter than 32 characters in production, in one line without echoing it', (variable) => {
    const production = { ...base, NODE_ENV: 'production', MICROSOFT_CLIENT_ID: 'x', MICROSOFT_CLIENT_SECRET: 'y' };
    const error = configError({ ...production, [variable]: 'short-admin-token-value' });
    expect(error.variable).toBe(variable);
    expect(error.message).toBe(`${variable}: expected at least 32 characters when NODE_ENV=production`);
    expect(load({ ...production, [variable]: 'x'.repeat(32) })).toBeDefined();
    expect(load({ ...base, [variable]: 'short-in-development' })).toBeDefined();
  });

  it('limits slow senders and open connections by default, and takes fractions of seconds', () => {
    expect(load(base).httpLimits).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 1024 });
    const custom = load({ ...base, HTTP_HEADERS_TIMEOUT_SECONDS: '0.25', HTTP_REQUEST_TIMEOUT_SECONDS: '0.5', MAX_CONNECTIONS: '3' });
    expect(custom.httpLimits).toEqual({ headersTimeoutMs: 250, requestTimeoutMs: 500, maxConnections: 3 });
  });

  it('refuses a headers timeout longer than the request timeout', () => {
    const error = configError({ ...base, HTTP_HEADERS_TIMEOUT_SECONDS: '40' });
    expect(error.message).toBe('HTTP_HEADERS_TIMEOUT_SECONDS: expected at most HTTP_REQUEST_TIMEOUT_SECONDS');
  });

  it('refreshes idle connections after 24 hours and gives up after 4 days by default, and reads durations with units', () => {
    expect(load(base)).toMatchObject({ refreshIdleAfterMs: 86_400_000, refreshGiveUpAfterMs: 4 * 86_400_000, webhook: undefined });
    expect(load({ ...base, REFRESH_IDLE_AFTER: '90m', REFRESH_GIVE_UP_AFTER: '3600' })).toMatchObject({ refreshIdleAfterMs: 5_400_000, refreshGiveUpAfterMs: 3_600_000 });
    expect(configError({ ...base, REFRESH_IDLE_AFTER: '1w' }).message).toMatch(/^REFRESH_IDLE_AFTER: expected a positive duration/);
  });

  it('needs WEBHOOK_URL and a whsec_ WEBHOOK_SECRET together, without echoing the secret', () => {
    const secret = `whsec_${Buffer.from('a webhook secret of 24 b').toString('base64')}`;
    expect(load({ ...base, WEBHOOK_URL: 'https://hooks.example/in', WEBHOOK_SECRET: secret }).webhook).toEqual({ url: 'https://hooks.example/in', secret });
    expect(configError({ ...base, WEBHOOK_URL: 'https://hooks.example/in' }).message).toBe('WEBHOOK_SECRET: required when WEBHOOK_URL is set (a whsec_… secret)');
    const wrong = configError({ ...base, WEBHOOK_URL: 'https://hooks.example/in', WEBHOOK_SECRET: 'not-a-whsec-secret-value' });
    expect(wrong.variable).toBe('WEBHOOK_SECRET');
    expect(wrong.message).not.toContain('not-a-whsec');
  });

  it('refuses a whsec_ secret the signer cannot decode with one line, not a stack at start', () => {
    const undecodable = configError({ ...base, WEBHOOK_URL: 'https://hooks.example/in', WEBHOOK_SECRET: 'whsec_AAAAAAAAAAAAAAAA=A' });
    expect(undecodable.message).toBe('WEBHOOK_SECRET: expected whsec_ followed by a base64 key');
  });

  it('parses rate limit overrides and off', () => {
    expect(load({ ...base, RATE_LIMITS: 'events=1000/60, startMicrosoftSignIn=20/60, microsoftCallback=5/60' }).rateLimits).toEqual({
      events: { points: 1000, durationSeconds: 60 },
      startMicrosoftSignIn: { points: 20, durationSeconds: 60 },
      microsoftCallback: { points: 5, durationSeconds: 60 },
    });
    expect(load({ ...base, RATE_LIMITS: 'off' }).rateLimits).toBe('off');
  });

  it('allows any tenant by default and reads allowed tenant ids per channel, the beta channel falling back to main', () => {
    const tenantA = '6F1C2A9E-3B4D-4E5F-8A7B-0C1D2E3F4A5B';
    const tenantB = '22222222-3333-4444-8555-666666666666';
    expect(load(base).channels.main.allowedTenants).toEqual([]);
    const inherited = load({ ...base, MICROSOFT_ALLOWED_TENANTS: ` ${tenantA} , ${tenantB}` });
    expect(inherited.channels.main.allowedTenants).toEqual([tenantA.toLowerCase(), tenantB]);
    expect(inherited.channels.beta.allowedTenants).toEqual([tenantA.toLowerCase(), tenantB]);
    const own = load({ ...base, MICROSOFT_ALLOWED_TENANTS: tenantA, MICROSOFT_BETA_ALLOWED_TENANTS: tenantB });
    expect(own.channels.beta.allowedTenants).toEqual([tenantB]);
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

describe('client certificates and secret expiry', () => {
  let folder = '';
  let certificate: TestCertificate;
  let other: TestCertificate;
  const app = { ...base, MICROSOFT_CLIENT_ID: 'main-id' };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'gw-cert-'));
    certificate = await createTestCertificate(folder, 'app');
    other = await createTestCertificate(folder, 'other');
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('configures a channel with a certificate instead of a secret, with its SHA-256 thumbprint', () => {
    const config = load({ ...app, MICROSOFT_CLIENT_CERTIFICATE_FILE: certificate.file });
    const main = config.channels.main;
    expect(main.isConfigured).toBe(true);
    expect(main.clientSecret).toBeUndefined();
    expect(main.clientCertificate?.thumbprintSha256).toBe(new X509Certificate(certificate.certificatePem).fingerprint256.replace(/:/g, '').toLowerCase());
    expect(config.channels.beta.clientCertificate).toBe(main.clientCertificate);
    const ownBeta = load({ ...app, MICROSOFT_CLIENT_CERTIFICATE_FILE: certificate.file, MICROSOFT_BETA_CLIENT_ID: 'beta-id', MICROSOFT_BETA_CLIENT_SECRET: 'b' });
    expect(ownBeta.channels.beta.clientCertificate).toBeUndefined();
  });

  it.each([
    ['a key that does not belong to the certificate', () => other.privateKeyPem + certificate.certificatePem, 'does not belong'],
    ['no private key', () => certificate.certificatePem, 'no PRIVATE KEY'],
    ['no certificate', () => certificate.privateKeyPem, 'no CERTIFICATE'],
    ['a broken certificate', () => '-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n' + certificate.privateKeyPem, 'cannot be parsed'],
  ])('refuses a certificate file with %s in one line, without its content', (_case, content, reason) => {
    const file = join(folder, 'candidate.pem');
    writeFileSync(file, content());
    const error = configError({ ...app, MICROSOFT_CLIENT_SECRET: 's', MICROSOFT_BETA_CLIENT_ID: 'beta-id', MICROSOFT_BETA_CLIENT_CERTIFICATE_FILE: file });
    expect(error.variable).toBe('MICROSOFT_BETA_CLIENT_CERTIFICATE_FILE');
    expect(error.message).toContain(reason);
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message).not.toContain('BEGIN');
  });

  it('reads the secret expiry per channel; the beta channel inherits it only with the main secret', () => {
    const expiring = { ...app, MICROSOFT_CLIENT_SECRET: 's', MICROSOFT_CLIENT_SECRET_EXPIRES_AT: '2026-03-31' };
    const inherited = load(expiring);
    expect(inherited.channels.main.clientSecretExpiresAt).toEqual(new Date('2026-03-31T00:00:00Z'));
    expect(inherited.channels.beta.clientSecretExpiresAt).toEqual(new Date('2026-03-31T00:00:00Z'));
    const ownSecret = load({ ...expiring, MICROSOFT_BETA_CLIENT_SECRET: 'b' });
    expect(ownSecret.channels.beta.clientSecretExpiresAt).toBeUndefined();
    const ownDate = load({ ...expiring, MICROSOFT_BETA_CLIENT_SECRET: 'b', MICROSOFT_BETA_CLIENT_SECRET_EXPIRES_AT: '2026-05-01T12:00:00Z' });
    expect(ownDate.channels.beta.clientSecretExpiresAt).toEqual(new Date('2026-05-01T12:00:00Z'));
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

describe('the .env file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-dotenv-'));
  const loadWithDotEnv = (contents: string, env: Record<string, string> = base) => {
    const dotEnvPath = join(folder, '.env');
    writeFileSync(dotEnvPath, contents);
    return loadConfig({ env, dotEnvPath, developmentSecretPath: '/nonexistent/secret.key' });
  };

  it('reads inline comments, quotes and export prefixes as a shell would', () => {
    const config = loadWithDotEnv(
      [
        '# The gateway on this host',
        'export PORT=4100 # a port of its own',
        'LOG_LEVEL=warn   # quieter',
        'ADMIN_TOKEN="an admin token # with a hash inside"',
        "MICROSOFT_SCOPES='openid User.Read'",
        'ALLOWED_RETURN_URLS = https://app.example ',
      ].join('\n'),
    );
    expect(config.port).toBe(4100);
    expect(config.logLevel).toBe('warn');
    expect(config.adminToken).toBe('an admin token # with a hash inside');
    expect(config.channels.main.scopes).toEqual(['openid', 'User.Read']);
    expect(config.allowedReturnOrigins).toEqual(['https://app.example']);
  });

  it('reads Windows line endings and values that span lines in double quotes', () => {
    const config = loadWithDotEnv('PORT=4200\r\nADMIN_TOKEN="first line\nsecond line"\r\n');
    expect(config.port).toBe(4200);
    expect(config.adminToken).toBe('first line\nsecond line');
  });

  it('lets real environment variables win over the file', () => {
    expect(loadWithDotEnv('PORT=4100\nLOG_LEVEL=warn', { ...base, PORT: '4300' })).toMatchObject({ port: 4300, logLevel: 'warn' });
  });
});
