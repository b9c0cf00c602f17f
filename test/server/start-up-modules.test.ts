// A single instance on SQLite does not load the PostgreSQL or Redis clients: they only slow its start-up.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const REPOSITORY_ROOT = resolve(__dirname, '../..');

/** Loads the gateway's modules (not starting it) in a fresh process and lists the named packages it loaded. */
function packagesLoadedBy(entry: string, packages: string[]): string[] {
  const script = `
    require('reflect-metadata');
    require(${JSON.stringify(entry)});
    const loaded = Object.keys(require.cache);
    const names = ${JSON.stringify(packages)};
    process.stdout.write(JSON.stringify(names.filter((name) => loaded.some((file) => file.includes('/node_modules/' + name + '/')))));
  `;
  const output = execFileSync(process.execPath, ['-r', './bench/register.js', '-e', script], { cwd: REPOSITORY_ROOT, encoding: 'utf8' });
  return JSON.parse(output) as string[];
}

describe('modules loaded at start-up', () => {
  // The PostgreSQL and Redis test suites prove that the lazy imports load them when configured.
  it('the gateway loads the PostgreSQL driver and the Redis client only when configured to use them', () => {
    expect(packagesLoadedBy('./src/app.ts', ['pg', 'ioredis', 'better-sqlite3'])).toEqual(['better-sqlite3']);
  });

  it('loads pino-pretty only for pretty logs, never for JSON', () => {
    expect(packagesLoadedBy('./src/app.ts', ['pino-pretty', 'pino'])).toEqual(['pino']);
  });
});
