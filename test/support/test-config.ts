// A configuration for tests: in-memory database, a fixed secret, no .env, quiet logs.
import type { GatewayConfig } from '../../src/config/config.types';
import { loadConfig } from '../../src/config/load-config';

export const TEST_SECRET_KEY = 'test-secret-key-that-is-long-enough-0123456789';

export function testConfig(env: Record<string, string> = {}): GatewayConfig {
  return loadConfig({
    readDotEnv: false,
    developmentSecretPath: '/nonexistent/secret.key',
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: ':memory:',
      SECRET_KEY: TEST_SECRET_KEY,
      SANDBOX: 'off',
      MICROSOFT_CLIENT_ID: 'test-client',
      MICROSOFT_CLIENT_SECRET: 'test-client-secret',
      LOG_LEVEL: 'silent',
      PORT: '0',
      ...env,
    },
  });
}
