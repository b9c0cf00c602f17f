// The Microsoft sandbox of a bench run (in this process, throttles raised) and the production environment of the gateway.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGatewaySchema } from '../../src/graphql/build-schema';
import { schemaOnlyBindings } from '../../src/graphql/resolvers';
import { declaredRateLimits } from '../../src/guards/rate-limit-directive';
import { DEFAULT_ROUTE_RATE_LIMITS } from '../../src/guards/rate-limits';
import { startSandbox, SANDBOX_TENANT_ID, type Sandbox, type SandboxUser } from '../../src/sandbox';

/** Raised so that Outlook's limits (4 concurrent, 10,000 per 10 minutes) never cap a measurement; the run reports it. */
export const RAISED_THROTTLE = { concurrentRequestsPerMailbox: 10_000, requestsPerWindow: 100_000_000, windowSeconds: 600 };

/**
 * The gateway's rate limits stay on (every limited field is still counted, per caller, as in production) but are
 * raised so that no bench or drill caller reaches them; the run reports it.
 */
export const RAISED_RATE_LIMIT = { limit: 1_000_000_000, durationSeconds: 60 };
const RATE_LIMITED_NAMES = [...Object.keys(declaredRateLimits(buildGatewaySchema(schemaOnlyBindings()))), ...Object.keys(DEFAULT_ROUTE_RATE_LIMITS)];
export const RAISED_RATE_LIMITS = RATE_LIMITED_NAMES
  .map((field) => `${field}=${RAISED_RATE_LIMIT.limit}/${RAISED_RATE_LIMIT.durationSeconds}`)
  .join(',');

export const GATEWAY_CLIENT_ID = 'bench-gateway-client';
/** A second app for the direct Graph floor: the same mailboxes, its own tokens. */
export const DIRECT_CLIENT_ID = 'bench-direct-client';
export const DIRECT_REDIRECT_URI = 'http://127.0.0.1:9/bench/direct';

export interface BenchEnvironment {
  sandbox: Sandbox;
  workDir: string;
  caFile: string;
  secretKey: string;
  adminToken: string;
  gatewaySecret: string;
  directSecret: string;
  /** Extra sandbox users added for the run: bench.user001@contoso.example … */
  benchUsers: SandboxUser[];
  gatewayEnv(port: number, databaseFile: string, extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export function benchUserEmail(index: number): string {
  return `bench.user${String(index + 1).padStart(3, '0')}@contoso.example`;
}

export async function startBenchEnvironment(options: { userCount: number; throttle?: typeof RAISED_THROTTLE }): Promise<BenchEnvironment> {
  const workDir = mkdtempSync(join(tmpdir(), 'gateway-bench-'));
  const sandbox = await startSandbox({ quiet: true, throttle: options.throttle ?? RAISED_THROTTLE });
  const caFile = join(workDir, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.caCertificatePem);
  const benchUsers = addBenchUsers(sandbox, options.userCount);
  const gatewaySecret = randomBytes(24).toString('base64url');
  const directSecret = randomBytes(24).toString('base64url');
  sandbox.registerApp({ clientId: DIRECT_CLIENT_ID, clientSecret: directSecret, redirectUris: [DIRECT_REDIRECT_URI] });
  const secretKey = randomBytes(32).toString('base64url');
  const adminToken = randomBytes(24).toString('base64url');
  const registeredPorts = new Set<number>();
  return {
    sandbox, workDir, caFile, secretKey, adminToken, gatewaySecret, directSecret, benchUsers,
    gatewayEnv(port, databaseFile, extra = {}) {
      const publicUrl = `http://127.0.0.1:${port}`;
      if (!registeredPorts.has(port)) {
        registeredPorts.add(port);
        // The sandbox keeps one registration per client id: every port the gateway ran on stays registered.
        sandbox.registerApp({
          clientId: GATEWAY_CLIENT_ID, clientSecret: gatewaySecret,
          redirectUris: [...registeredPorts].map((each) => `http://127.0.0.1:${each}/auth/microsoft/callback`),
        });
      }
      return {
        NODE_ENV: 'production', SECRET_KEY: secretKey, ADMIN_TOKEN: adminToken,
        MICROSOFT_CLIENT_ID: GATEWAY_CLIENT_ID, MICROSOFT_CLIENT_SECRET: gatewaySecret, MICROSOFT_TENANT_ID: SANDBOX_TENANT_ID,
        MICROSOFT_AUTHORITY_HOST: sandbox.authorityHost, MICROSOFT_GRAPH_BASE_URL: sandbox.graphBaseUrl, MICROSOFT_CA_FILE: caFile,
        PUBLIC_URL: publicUrl, DATABASE_URL: `file:${databaseFile}`, RATE_LIMITS: RAISED_RATE_LIMITS, SANDBOX: 'off', LOG_LEVEL: 'info',
        ...extra,
        ...experimentOverrides(),
      };
    },
    async close() {
      await sandbox.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** The sandbox ships four demo users; a load test needs more mailboxes, each seeded like the demo ones. */
function addBenchUsers(sandbox: Sandbox, count: number): SandboxUser[] {
  return Array.from({ length: count }, (_, index) =>
    sandbox.addUser({ email: benchUserEmail(index), displayName: `Bench User ${index + 1}`, jobTitle: 'Load generator', officeLocation: 'Loopback' }),
  );
}

/** BENCH_GATEWAY_ENV="LOG_LEVEL=warn,NAME=value" overrides the gateway's environment, for before/after experiments. */
function experimentOverrides(): Record<string, string> {
  const text = process.env.BENCH_GATEWAY_ENV ?? '';
  return Object.fromEntries(text.split(',').map((pair) => pair.split('=')).filter(([name, value]) => name && value !== undefined).map(([name, value]) => [name.trim(), value.trim()]));
}
