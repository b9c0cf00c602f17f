// Runs one of the npm scripts from its TypeScript source in a child process, as `npm run …` runs it from dist/.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const REPOSITORY_ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);

/** Resolves with stdout; rejects with the exit `code` and `stderr` when the script fails. Only `env` (and PATH) reach it. */
export async function runScript(script: string, env: Record<string, string>, ...args: string[]): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['-r', join(REPOSITORY_ROOT, 'test/scale/support/register-typescript.js'), join(REPOSITORY_ROOT, `src/scripts/${script}.ts`), ...args],
    { cwd: REPOSITORY_ROOT, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env }, timeout: 30_000 },
  );
  return stdout;
}
