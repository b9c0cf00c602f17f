// Start-up of one or more builds side by side: time from spawn to the first 200 on /healthz, in production mode on a
// fresh SQLite file, builds taken in turn each round (so both see the same moments of a busy machine); medians.
//   node -r ./bench/register.js bench/experiments/start-up.ts [rounds] [build directory ...]
// A build directory holds a main.js (default dist/); copy an older commit's dist/ into the repository to compare
// (node_modules is resolved from the repository either way).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GATEWAY_NODE_FLAGS, REPOSITORY_ROOT } from '../support/gateway-process';
import { summarizeStartUps, timeStartUp } from '../support/start-ups';

/** Settings a production start accepts; nothing reaches Microsoft before the first sign-in. */
function productionEnv(databaseFile: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    SECRET_KEY: 'start-up-experiment-secret-key-0123456789abcdef',
    DATABASE_URL: `file:${databaseFile}`,
    MICROSOFT_CLIENT_ID: 'start-up-experiment',
    MICROSOFT_CLIENT_SECRET: 'start-up-experiment',
    MICROSOFT_REDIRECT_URI: 'https://gateway.example/auth/microsoft/callback',
    PUBLIC_URL: 'https://gateway.example',
    LOG_LEVEL: 'warn',
  };
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 10);
  const builds = process.argv.length > 3 ? process.argv.slice(3) : ['dist'];
  const workDir = mkdtempSync(join(tmpdir(), 'gw-start-up-'));
  const samples = new Map<string, number[]>(builds.map((build) => [build, []]));
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const [index, build] of builds.entries()) {
        const nodeArguments = [...GATEWAY_NODE_FLAGS, resolve(REPOSITORY_ROOT, build, 'main.js')];
        samples.get(build)!.push(await timeStartUp({ env: (_port, file) => productionEnv(file), workDir, name: `${round}-${index}`, nodeArguments }));
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  console.log(`start-up to the first /healthz 200, ${rounds} rounds, production mode, fresh SQLite file`);
  for (const [build, values] of samples) {
    const { medianMs, minMs, maxMs } = summarizeStartUps(values);
    console.log(`${build.padEnd(24)} median ${medianMs.toFixed(0)} ms  min ${minMs.toFixed(0)}  max ${maxMs.toFixed(0)}`);
  }
}

void main();
