// The gateway's environment variables (docs/configuration.md), validated in one place with zod.
import { z } from 'zod';
import { DEFAULT_HTTP_LIMITS } from '../server/http-limits';

/** Microsoft's own hosts: the defaults, which the built-in sandbox replaces when no Microsoft app is configured. */
export const MICROSOFT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const MICROSOFT_GRAPH_BASE_URL = 'https://graph.microsoft.com';

const optionalText = z
  .string()
  .transform((value) => value.trim())
  .optional()
  .transform((value) => (value ? value : undefined));

const booleanText = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .optional()
    .transform((value) => (value === undefined ? fallback : ['true', '1', 'yes'].includes(value)));

/** A positive number of seconds, fractions allowed (tests cut slow senders off within a second). */
const seconds = (fallbackMs: number) =>
  z.coerce.number({ message: 'expected a number of seconds' }).positive('expected a positive number of seconds').default(fallbackMs / 1000);

const httpUrl = (what: string) =>
  optionalText.refine((value) => value === undefined || /^https?:\/\/[^\s/]+/i.test(value), {
    message: `expected ${what} (an http or https URL)`,
  });

const DURATION_UNITS_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Seconds, or a number with s, m, h or d (`24h`, `4d`); in milliseconds. */
const duration = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((value, context) => {
      const match = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/i.exec(value);
      const ms = match ? Number(match[1]) * DURATION_UNITS_MS[(match[2] || 's').toLowerCase()] : Number.NaN;
      if (!(ms > 0)) {
        context.addIssue({ code: 'custom', message: 'expected a positive duration: seconds, or a number with s, m, h or d (e.g. 24h)' });
        return z.NEVER;
      }
      return Math.round(ms);
    });

const TENANT_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tenant ids, not domain names: the id token's `tid` claim is always the GUID. */
const tenantGuidList = optionalText
  .transform((value) => value?.split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean))
  .refine((tenants) => tenants === undefined || (tenants.length > 0 && tenants.every((tenant) => TENANT_GUID.test(tenant))), {
    message: 'expected comma-separated tenant ids (GUIDs)',
  });

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Date.parse rolls 2026-02-30 over into March; a calendar date must name a real day. */
function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match || Number.isNaN(Date.parse(value))) return false;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return day.toISOString().slice(0, 10) === value.slice(0, 10);
}

/** A date, or a date and time, in ISO 8601 (`2026-03-31`, `2026-03-31T12:00:00Z`); a date alone is midnight UTC. */
const isoDate = optionalText
  .refine((value) => value === undefined || isIsoDate(value), { message: 'expected an ISO 8601 date, e.g. 2026-03-31' })
  .transform((value) => (value === undefined ? undefined : new Date(value)));

export const environmentSchema = z.object({
  PORT: z.coerce
    .number({ message: 'expected a port number' })
    .int('expected a port number')
    .min(0, 'expected a port number between 0 and 65535')
    .max(65535, 'expected a port number between 0 and 65535')
    .default(4000),
  HOST: optionalText,
  PUBLIC_URL: httpUrl('the gateway external base URL'),
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { message: 'expected development, production or test' })
    .default('development'),
  DATABASE_URL: optionalText.refine(
    (value) => value === undefined || value === ':memory:' || /^file:.+/.test(value) || /^postgres(ql)?:\/\//.test(value),
    { message: 'expected file:PATH, :memory: or postgres://…' },
  ),
  TOKEN_ENCRYPTION_KEY: optionalText,
  SECRET_KEY: optionalText,
  DEFAULT_CHANNEL: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(['main', 'beta'], { message: 'expected main or beta' }))
    .default('main'),
  CHANNELS: z
    .string()
    .transform((value) => value.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.enum(['main', 'beta'], { message: 'expected a comma-separated list of main and beta' })))
    .default(['main', 'beta']),
  MICROSOFT_CLIENT_ID: optionalText,
  MICROSOFT_CLIENT_SECRET: optionalText,
  MICROSOFT_TENANT_ID: optionalText,
  MICROSOFT_REDIRECT_URI: httpUrl('the redirect URI registered for the main channel'),
  MICROSOFT_SCOPES: optionalText,
  MICROSOFT_BETA_CLIENT_ID: optionalText,
  MICROSOFT_BETA_CLIENT_SECRET: optionalText,
  MICROSOFT_BETA_TENANT_ID: optionalText,
  MICROSOFT_BETA_REDIRECT_URI: httpUrl('the redirect URI registered for the beta channel'),
  MICROSOFT_BETA_SCOPES: optionalText,
  MICROSOFT_ALLOWED_TENANTS: tenantGuidList,
  MICROSOFT_BETA_ALLOWED_TENANTS: tenantGuidList,
  MICROSOFT_CLIENT_CERTIFICATE_FILE: optionalText,
  MICROSOFT_BETA_CLIENT_CERTIFICATE_FILE: optionalText,
  MICROSOFT_CLIENT_SECRET_EXPIRES_AT: isoDate,
  MICROSOFT_BETA_CLIENT_SECRET_EXPIRES_AT: isoDate,
  MICROSOFT_AUTHORITY_HOST: httpUrl('the identity platform host').default(MICROSOFT_AUTHORITY_HOST),
  MICROSOFT_GRAPH_BASE_URL: httpUrl('the Graph host without version').default(MICROSOFT_GRAPH_BASE_URL),
  MICROSOFT_GRAPH_VERSION: z.enum(['v1.0', 'beta'], { message: 'expected v1.0 or beta' }).default('v1.0'),
  MICROSOFT_BETA_GRAPH_VERSION: z.enum(['v1.0', 'beta'], { message: 'expected v1.0 or beta' }).default('v1.0'),
  MICROSOFT_CA_FILE: optionalText,
  NODE_EXTRA_CA_CERTS: optionalText,
  SANDBOX: z.enum(['auto', 'on', 'off'], { message: 'expected auto, on or off' }).default('auto'),
  ADMIN_TOKEN: optionalText,
  METRICS_TOKEN: optionalText,
  ALLOWED_RETURN_URLS: optionalText,
  CORS_ORIGINS: optionalText,
  GRAPHQL_IDE: z.enum(['ruru', 'apollo', 'off'], { message: 'expected ruru, apollo or off' }).default('ruru'),
  RATE_LIMITS: optionalText,
  TRUST_PROXY: booleanText(false),
  REDIS_URL: optionalText.refine((value) => value === undefined || /^rediss?:\/\//.test(value), {
    message: 'expected a redis:// or rediss:// URL',
  }),
  REDIS_KEY_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'expected up to 64 letters, digits or _ . : -' })
    .default('gateway:'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  HTTP_HEADERS_TIMEOUT_SECONDS: seconds(DEFAULT_HTTP_LIMITS.headersTimeoutMs),
  HTTP_REQUEST_TIMEOUT_SECONDS: seconds(DEFAULT_HTTP_LIMITS.requestTimeoutMs),
  MAX_CONNECTIONS: z.coerce
    .number({ message: 'expected a number of connections' })
    .int('expected a whole number of connections')
    .positive('expected a positive number of connections')
    .default(DEFAULT_HTTP_LIMITS.maxConnections),
  WEBHOOK_URL: httpUrl('the address connection events are posted to'),
  /** Checked for shape here; whether its base64 decodes is checked where the signer is built (load-config). */
  WEBHOOK_SECRET: optionalText.refine((value) => value === undefined || /^whsec_[A-Za-z0-9+/=]{16,}$/.test(value), {
    message: 'expected a Standard Webhooks secret: whsec_ followed by base64 (at least 16 characters)',
  }),
  REFRESH_IDLE_AFTER: duration('24h'),
  REFRESH_GIVE_UP_AFTER: duration('4d'),
  MICROSOFT_SUBSCRIPTIONS: z.enum(['on-demand', 'all', 'off'], { message: 'expected on-demand, all or off' }).default('on-demand'),
  MICROSOFT_NOTIFICATION_URL: httpUrl('the public HTTPS address Microsoft Graph posts change notifications to'),
  SESSION_TTL_DAYS: z.coerce.number({ message: 'expected a number of days' }).positive('expected a positive number of days').default(30),
});

export type Environment = z.infer<typeof environmentSchema>;
