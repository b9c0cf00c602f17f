// Runs gateway instances as child processes (src/main.ts through SWC), as a deployment runs several behind a load balancer.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { resolve } from 'node:path';

const REPOSITORY_ROOT = resolve(__dirname, '../../..');

export interface GatewayProcess {
  name: string;
  url: string;
  /** Everything the process wrote, for diagnostics and for tests that look for leaked secrets. */
  output(): string;
  /** SIGTERM (or `signal`), then SIGKILL if it has not exited within a few seconds; resolves with how it exited. */
  stop(signal?: NodeJS.Signals): Promise<ProcessExit>;
}

export interface ProcessExit {
  code: number | null;
  /** The signal that ended the process: SIGKILL when it did not stop by itself in time. */
  signal: NodeJS.Signals | null;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Starts `node src/main.ts` with exactly `env` (plus PATH, PORT, HOST) and waits until /healthz answers. */
export async function startGatewayProcess(name: string, env: Record<string, string>, startTimeoutMs = 40_000): Promise<GatewayProcess> {
  const port = await freePort();
  // The sources, compiled on load by SWC as jest does: no stale dist/ is ever tested.
  const child = spawn(process.execPath, ['-r', resolve(__dirname, 'register-typescript.js'), resolve(REPOSITORY_ROOT, 'src/main.ts')], {
    cwd: REPOSITORY_ROOT,
    // Only what is given: the machine's NODE_EXTRA_CA_CERTS or a developer's .env must not decide what the child trusts.
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<ProcessExit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const handle: GatewayProcess = { name, url: `http://127.0.0.1:${port}`, output: () => output, stop: (signal) => stopChild(child, exited, signal) };
  try {
    await waitForHealth(handle.url, child, startTimeoutMs);
  } catch (error) {
    await handle.stop();
    throw new Error(`${name} did not start: ${(error as Error).message}\n${output.split('\n').slice(-15).join('\n')}`);
  }
  return handle;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (Date.now() < giveUpAt) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`no answer from ${url}/healthz within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess, exited: Promise<ProcessExit>, signal: NodeJS.Signals = 'SIGTERM'): Promise<ProcessExit> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  const exit = await exited;
  clearTimeout(timer);
  return exit;
}
