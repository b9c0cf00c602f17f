// Restart drill: sessions and connections survive a graceful restart; a new SECRET_KEY ends every session.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchEnvironment } from '../support/bench-environment';
import { benchUserEmail } from '../support/bench-environment';
import { mapWithConcurrency, postGraphQL, sandboxAgent, signInThroughGateway } from '../support/clients';
import { getStatus } from '../support/gateway-process';
import { check, startDrillGateway, type DrillCheck } from './drill-support';

const VIEWER_QUERY = '{ viewer { id connections { channel active needsReconnect } } }';
const PROFILE_QUERY = '{ microsoftProfile { id } }';
const USERS = 5;

export async function restartDrill(environment: BenchEnvironment, firstUserIndex: number): Promise<DrillCheck[]> {
  const checks: DrillCheck[] = [];
  const databaseFile = join(environment.workDir, 'restart-drill.db');
  const agent = sandboxAgent(environment.sandbox);
  const emails = Array.from({ length: USERS }, (_, index) => benchUserEmail(firstUserIndex + index));
  let gateway = await startDrillGateway(environment, databaseFile, 'restart-1');
  try {
    const tokens = await mapWithConcurrency(emails, 5, (email) => signInThroughGateway(gateway.url, agent, email));
    const before = await Promise.all(tokens.map((token) => postGraphQL<{ viewer: { id: string } }>(gateway.url, VIEWER_QUERY, { token })));
    const exitCode = await gateway.stop();
    checks.push(check('restart', 'SIGTERM stops the gateway cleanly', exitCode === 0, `exit code ${exitCode}`));

    gateway = await startDrillGateway(environment, databaseFile, 'restart-2');
    const after = await Promise.all(tokens.map((token) => postGraphQL<{ viewer: { id: string; connections: Array<{ active: boolean; needsReconnect: boolean }> } | null }>(gateway.url, VIEWER_QUERY, { token })));
    const sameViewers = after.filter((answer, index) => answer.data?.viewer?.id && answer.data.viewer.id === before[index].data?.viewer?.id).length;
    checks.push(check('restart', 'sessions survive a graceful restart with the same SECRET_KEY', sameViewers === USERS, `${sameViewers}/${USERS} session tokens still name their user`));
    const profiles = await Promise.all(tokens.map((token) => postGraphQL(gateway.url, PROFILE_QUERY, { token })));
    const usable = profiles.filter((answer) => !answer.errors && answer.data).length;
    checks.push(check('restart', 'connections survive: Graph calls work after the restart', usable === USERS, `${usable}/${USERS} microsoftProfile calls answered`));
    await gateway.stop();

    gateway = await startDrillGateway(environment, databaseFile, 'restart-3', { SECRET_KEY: randomBytes(32).toString('base64url') });
    checks.push(check('restart', 'with a different SECRET_KEY the gateway still starts', (await getStatus(`${gateway.url}/healthz`)) === 200, `/healthz answered on ${gateway.url}`));
    const rekeyedProfiles = await Promise.all(tokens.map((token) => postGraphQL(gateway.url, PROFILE_QUERY, { token })));
    const rekeyedCodes = rekeyedProfiles.map((answer) => String(answer.errors?.[0]?.extensions?.code ?? 'no error'));
    const unauthenticated = rekeyedCodes.filter((code) => code === 'UNAUTHENTICATED').length;
    checks.push(check('restart', 'with a different key, every session is UNAUTHENTICATED (session hashes are keyed with SECRET_KEY)',
      unauthenticated === USERS, `codes: ${[...new Set(rekeyedCodes)].join(', ')}`));
    checks.push(check('restart', 'with a different key, the gateway keeps running (no crash)', !gateway.hasExited() && (await getStatus(`${gateway.url}/healthz`)) === 200, 'process alive, /healthz 200'));
    await gateway.stop();
    const log = readFileSync(join(environment.workDir, 'restart-3.log'), 'utf8');
    const leaks = tokens.filter((token) => log.includes(token)).length;
    checks.push(check('restart', 'no session token reaches the log', leaks === 0, `${leaks} tokens found in the log`));
  } finally {
    await gateway.kill();
    agent.destroy();
  }
  return checks;
}
