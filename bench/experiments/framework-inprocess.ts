// CPU per request of the framework comparison's three targets, in one process, sequential over keep-alive HTTP:
// the differences between targets are what the gateway adds, without the load generator's noise.
// node -r ./bench/register.js bench/experiments/framework-inprocess.ts [requestsPerRun]
import { ApolloServer } from '@apollo/server';
import { createServer } from 'node:http';
import pino from 'pino';
import { startGateway } from '../../src/app';
import { createLogger } from '../../src/logging/logger';
import { startSandbox } from '../../src/sandbox';
import { createGraphQLEndpoint } from '../../src/server/graphql-endpoint';
import { testConfig } from '../../test/support/test-config';
import { signInAs } from '../../test/support/sign-in';
import { RAISED_RATE_LIMITS } from '../support/bench-environment';
import { closeGatewayAgent, postGraphQL } from '../support/clients';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 5000);
  const sandbox = await startSandbox({ quiet: true });
  const destination = process.env.EXPERIMENT_NOOP_STREAM ? { write: () => true } : pino.destination({ dest: '/dev/null', sync: false, minLength: Number(process.env.EXPERIMENT_MIN_LENGTH ?? 4096) });
  const logger = createLogger(process.env.EXPERIMENT_LOG_LEVEL ?? 'info', destination);
  const gateway = await startGateway(testConfig({ SANDBOX: 'on', RATE_LIMITS: RAISED_RATE_LIMITS, LOG_LEVEL: 'info' }), { sandbox, logger });
  const apollo = new ApolloServer({ typeDefs: 'type Query { viewer: String }', resolvers: { Query: { viewer: () => null } } });
  await apollo.start();
  const bareServer = createServer(createGraphQLEndpoint({ apollo, logger: pino({ level: 'warn' }), createContext: async () => ({}) }));
  await new Promise<void>((done) => bareServer.listen(0, '127.0.0.1', done));
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as { port: number }).port}`;
  try {
    const { sessionToken } = await signInAs(gateway, 'adele.vance@contoso.example');
    const targets: Array<[string, () => Promise<unknown>]> = [
      ['bare', () => postGraphQL(bareUrl, '{ viewer }')],
      ['anonymous', () => postGraphQL(gateway.url, '{ viewer { id } }')],
      ['authenticated', () => postGraphQL(gateway.url, '{ viewer { id displayName email } }', { token: sessionToken })],
    ];
    const results = new Map<string, number[]>();
    for (let round = 0; round < 4; round += 1) {
      for (const [name, send] of targets) {
        const before = process.cpuUsage();
        for (let index = 0; index < count; index += 1) await send();
        const used = process.cpuUsage(before);
        if (round > 0) results.set(name, [...(results.get(name) ?? []), ((used.user + used.system) / count)]);
      }
    }
    for (const [name, values] of results) {
      values.sort((a, b) => a - b);
      console.log(`${name.padEnd(14)} ${values.map((value) => value.toFixed(0)).join(' / ')} µs of CPU per request (client included)`);
    }
  } finally {
    closeGatewayAgent();
    bareServer.close();
    await apollo.stop();
    await gateway.close();
    await sandbox.close();
  }
}

main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
