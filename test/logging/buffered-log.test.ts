// The default log destination buffers lines, but never holds one back for long when traffic is light.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const REGISTER = resolve(__dirname, '../scale/support/register-typescript.js');
const LOGGER = resolve(__dirname, '../../src/logging/logger.ts');

/** Runs a process that logs one short line and then idles until it is killed; resolves once the line arrived. */
function lineOfIdleProcess(): { line: Promise<string>; stop(): Promise<void> } {
  const script = `
    const { createLogger } = require(${JSON.stringify(LOGGER)});
    createLogger('info').info({ requestId: 'r-1' }, 'one quiet line');
    setInterval(() => {}, 60_000);
  `;
  const child = spawn(process.execPath, ['-r', REGISTER, '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let output = '';
  const line = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
      if (output.includes('one quiet line')) resolve(output);
    });
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    void exited.then(() => reject(new Error(`the process ended before it wrote the line:\n${output}`)));
  });
  return {
    line,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      await exited;
    },
  };
}

describe('the default log destination', () => {
  it('writes a lone line while the process is still running, without waiting for more lines or the exit', async () => {
    // Without the timed flush the line would wait in the 4 kB buffer until the exit, which never comes by itself.
    const idle = lineOfIdleProcess();
    try {
      expect(await idle.line).toContain('"requestId":"r-1"');
    } finally {
      await idle.stop();
    }
  }, 20_000);
});

/** Output of a process that logs `count` lines and then ends as `ending` says. */
async function outputOfLoggingProcess(count: number, ending: string): Promise<string> {
  const script = `
    const { createLogger } = require(${JSON.stringify(LOGGER)});
    const logger = createLogger('info');
    for (let index = 0; index < ${count}; index += 1) logger.info({ index }, 'line before exit');
    ${ending}
  `;
  const child = spawn(process.execPath, ['-r', REGISTER, '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  await new Promise((done) => child.once('close', done));
  return output;
}

describe('the default log destination at exit', () => {
  it('writes the lines still gathered in a batch when the process exits at once', async () => {
    const output = await outputOfLoggingProcess(3, 'process.exit(0);');
    expect(output.match(/line before exit/g)).toHaveLength(3);
  }, 20_000);

  it('writes every line, in order, when the process ends because it has nothing left to do', async () => {
    const output = await outputOfLoggingProcess(2_000, '');
    const indexes = [...output.matchAll(/"index":(\d+)/g)].map((match) => Number(match[1]));
    expect(indexes).toEqual(Array.from({ length: 2_000 }, (_, index) => index));
  }, 20_000);
});
