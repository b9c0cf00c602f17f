// Crash drill: kill -9 the gateway while sign-ins and refreshes are being written, then check the database and the users.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Channel } from '../../src/config/channels';
import { createTokenCipher } from '../../src/crypto/token-cipher';
import { TokenVault } from '../../src/tokens/token-vault';
import type { BenchEnvironment } from '../support/bench-environment';
import { benchUserEmail } from '../support/bench-environment';
import { postGraphQL, sandboxAgent, signInThroughGateway } from '../support/clients';
import type { GatewayProcess } from '../support/gateway-process';
import { check, sleep, startDrillGateway, type DrillCheck } from './drill-support';

const PROFILE_QUERY = '{ microsoftProfile { id } }';
/** Tokens issued inside msal-node's 5-minute renewal window: every Graph call refreshes and rewrites the token row. */
const REFRESH_EVERY_CALL_SECONDS = 240;

interface Inspection {
  integrity: string;
  foreignKeyViolations: number;
  unreadableConnections: number;
  usersWithoutConnection: number;
  connections: number;
}

export async function crashDrill(environment: BenchEnvironment, options: { rounds: number; users: number; firstUserIndex: number }): Promise<DrillCheck[]> {
  const checks: DrillCheck[] = [];
  const databaseFile = join(environment.workDir, 'crash-drill.db');
  const agent = sandboxAgent(environment.sandbox);
  const completed = new Map<string, string>();
  let refreshes = 0;
  let gateway: GatewayProcess | undefined;
  try {
    for (let round = 1; round <= options.rounds; round += 1) {
      gateway = await startDrillGateway(environment, databaseFile, `crash-${round}`);
      environment.sandbox.control.setAccessTokenLifetime(REFRESH_EVERY_CALL_SECONDS);
      const running = { isOn: true };
      const target = gateway;
      const signIns = Array.from({ length: 4 }, (_, worker) => (async () => {
        for (let attempt = worker; running.isOn; attempt += 4) {
          const email = benchUserEmail(options.firstUserIndex + (attempt % options.users));
          try {
            const token = await signInThroughGateway(target.url, agent, email);
            completed.set(email, token);
          } catch { /* the kill interrupts some sign-ins: only completed ones must survive */ }
        }
      })());
      const refreshers = Array.from({ length: 4 }, () => (async () => {
        while (running.isOn) {
          const tokens = [...completed.values()];
          if (tokens.length === 0) { await sleep(20); continue; }
          try {
            const answer = await postGraphQL(target.url, PROFILE_QUERY, { token: tokens[Math.floor(Math.random() * tokens.length)], timeoutMs: 5_000 });
            if (!answer.errors) refreshes += 1;
          } catch { /* interrupted by the kill */ }
        }
      })());
      await sleep(1_500 + Math.random() * 1_500);
      await gateway.kill();
      running.isOn = false;
      await Promise.all([...signIns, ...refreshers]);
      environment.sandbox.control.setAccessTokenLifetime(3600);

      const inspection = inspect(databaseFile, environment.secretKey);
      checks.push(
        check('crash', `round ${round}: PRAGMA integrity_check after kill -9`, inspection.integrity === 'ok', `integrity_check: ${inspection.integrity}; foreign key violations: ${inspection.foreignKeyViolations}`),
        check('crash', `round ${round}: no half-written row (every connection decrypts to a cache; no user without a connection)`,
          inspection.unreadableConnections === 0 && inspection.usersWithoutConnection === 0,
          `${inspection.connections} connections, ${inspection.unreadableConnections} unreadable, ${inspection.usersWithoutConnection} users without a connection`),
      );
      gateway = await startDrillGateway(environment, databaseFile, `crash-${round}-restart`);
      const answers = await Promise.all([...completed.values()].map((token) => postGraphQL(gateway!.url, PROFILE_QUERY, { token })));
      const usable = answers.filter((answer) => !answer.errors && answer.data).length;
      const codes = [...new Set(answers.flatMap((answer) => (answer.errors ?? []).map((error) => String(error.extensions?.code))))];
      checks.push(check('crash', `round ${round}: every completed sign-in is still there and usable after the restart`, usable === completed.size,
        `${usable}/${completed.size} completed sign-ins answered microsoftProfile${codes.length ? ` (errors: ${codes.join(', ')})` : ''}; ${refreshes} refreshes written before the kills so far`));
      await gateway.stop();
      gateway = undefined;
    }
  } finally {
    environment.sandbox.control.setAccessTokenLifetime(3600);
    await gateway?.kill();
    agent.destroy();
  }
  return checks;
}

function inspect(databaseFile: string, secretKey: string): Inspection {
  const sqlite = new Database(databaseFile);
  const vault = new TokenVault(createTokenCipher(Buffer.from(secretKey, 'utf8'), []));
  try {
    const integrity = (sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>).map((row) => row.integrity_check).join('; ');
    const foreignKeyViolations = (sqlite.pragma('foreign_key_check') as unknown[]).length;
    const rows = sqlite.prepare('SELECT user_id AS userId, token_cache_encrypted AS envelope FROM microsoft_oauth_tokens').all() as Array<{ userId: string; envelope: string }>;
    let unreadableConnections = 0;
    for (const row of rows) {
      try {
        const cache = JSON.parse(vault.open(Channel.MAIN, row.userId, row.envelope)) as { Account?: object; RefreshToken?: object };
        if (!cache.Account || !cache.RefreshToken || Object.keys(cache.RefreshToken).length === 0) unreadableConnections += 1;
      } catch {
        unreadableConnections += 1;
      }
    }
    const usersWithoutConnection = (sqlite.prepare(
      'SELECT COUNT(*) AS count FROM users WHERE id NOT IN (SELECT user_id FROM microsoft_oauth_tokens) AND id NOT IN (SELECT user_id FROM beta_microsoft_oauth_tokens)',
    ).get() as { count: number }).count;
    return { integrity, foreignKeyViolations, unreadableConnections, usersWithoutConnection, connections: rows.length };
  } finally {
    sqlite.close();
  }
}
