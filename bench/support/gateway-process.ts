// Runs the built gateway (dist/main.js) as a child process in production mode, as a deployment would.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { resolve } from 'node:path';

export const REPOSITORY_ROOT = resolve(__dirname, '../..');

/** The Node flags in a `node <flags> dist/main.js` start script. */
export function nodeFlagsOfStartScript(startScript: string): string[] {
  const match = /^node\s+(.*?)\s*dist\/main\.js$/.exec(startScript.trim());
  return match ? match[1].split(/\s+/).filter(Boolean) : [];
}

/** The Node flags `npm start` runs the gateway with (package.json): the bench and drills run what a deployment runs. */
export const GATEWAY_NODE_FLAGS: string[] = nodeFlagsOfStartScript(
  (JSON.parse(readFileSync(resolve(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start,
);
/** Node arguments that run a TypeScript file of bench/ directly. */
export const TYPESCRIPT_NODE_ARGUMENTS = ['-r', resolve(REPOSITORY_ROOT, 'bench/register.js')];

export interface GatewayProcessOptions {
  env: Record<string, string>;
  port: number;
  logFile: string;
  /** Node arguments instead of the built gateway (the bare Apollo Server of the framework comparison). */
  nodeArguments?: string[];
  /** Give up waiting for /healthz after this long. */
  startTimeoutMs?: number;
}

export interface GatewayProcess {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first 200 on /healthz. */
  startupMs: number;
  residentMemoryMb(): number;
  /** CPU time (user + system) the process has used so far, in ms: per-request cost that other load on the machine does not inflate. */
  cpuMs(): number;
  /** SIGTERM and wait for the exit (graceful shutdown). */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown code runs. */
  kill(): Promise<void>;
  hasExited(): boolean;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export async function startGatewayProcess(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const logFd = openSync(options.logFile, 'a');
  const startedAt = performance.now();
  const child = spawn(process.execPath, options.nodeArguments ?? [...GATEWAY_NODE_FLAGS, resolve(REPOSITORY_ROOT, 'dist/main.js')], {
    cwd: REPOSITORY_ROOT,
    env: { PATH: process.env.PATH ?? '', ...options.env, PORT: String(options.port), HOST: '127.0.0.1', ...(process.env.GATEWAY_NODE_OPTIONS ? { NODE_OPTIONS: process.env.GATEWAY_NODE_OPTIONS } : {}) },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let hasExited = false;
  void exited.then(() => { hasExited = true; });
  const handle = buildHandle(child, url, exited, () => hasExited);
  try {
    await waitForHealthz(url, options.startTimeoutMs ?? 20_000, () => hasExited);
  } catch (error) {
    await handle.kill();
    const tail = readFileSync(options.logFile, 'utf8').split('\n').slice(-5).join('\n');
    throw new Error(`${(error as Error).message}; last log lines:\n${tail}`);
  }
  return { ...handle, startupMs: performance.now() - startedAt };
}

function buildHandle(child: ChildProcess, url: string, exited: Promise<number | null>, hasExited: () => boolean): Omit<GatewayProcess, 'startupMs'> {
  return {
    url,
    pid: child.pid ?? -1,
    residentMemoryMb: () => residentMemoryMbOf(child.pid ?? -1),
    cpuMs: () => cpuMsOf(child.pid ?? -1),
    hasExited,
    async stop() {
      if (hasExited()) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (hasExited()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** VmRSS of a process from /proc (Linux), in MB. */
export function residentMemoryMbOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
    return kilobytes / 1024;
  } catch {
    return Number.NaN;
  }
}

/** utime + stime of a process from /proc/<pid>/stat (Linux, clock ticks of 10 ms), in ms. */
export function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    // After the command name: state is field 3, utime field 14 and stime field 15 (1-based, see proc(5)).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

export function getStatus(url: string): Promise<number> {
  return new Promise((done) => {
    const request = http.get(url, { agent: false }, (response) => {
      response.resume();
      done(response.statusCode ?? 0);
    });
    request.on('error', () => done(0));
    request.setTimeout(1_000, () => request.destroy());
  });
}

async function waitForHealthz(url: string, timeoutMs: number, hasExited: () => boolean): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (hasExited()) throw new Error('the gateway exited during start-up');
    if ((await getStatus(`${url}/healthz`)) === 200) return;
    await new Promise((done) => setTimeout(done, 5));
  }
  throw new Error(`the gateway did not answer 200 on /healthz within ${timeoutMs} ms`);
}
