// Debian's headless Chromium for the browser tests (via playwright-core), beside a sandbox and a gateway on a port chosen up front.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { startTestGateway, type StartedGateway } from './start-gateway';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
/** Without Chromium a browser test skips, loudly; in CI it fails instead. */
export const shouldRunBrowserTests = hasChromium || Boolean(process.env.CI);

export function warnWhenSkipped(what: string): void {
  if (!shouldRunBrowserTests) {
    console.warn(`\n*** SKIPPING ${what}: ${CHROMIUM} is missing (apt-get install -y chromium). In CI this test fails instead. ***\n`);
  }
}

/** The flags of a headless Chromium on a machine with no outside network (its background fetches would be refused). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function requireChromium(): void {
  if (!hasChromium) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (CI is set, so this test must not skip)`);
}

export function launchChromium(userDataDir: string): Promise<BrowserContext> {
  requireChromium();
  return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A browser process for tests that need several contexts (people) that share no cookies. */
export function launchChromiumBrowser(): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A redirect URI or an allowed origin must name a real port, so a server gets one chosen before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A sandbox, a gateway in sandbox mode at `origin` and a Chromium; close() stops whatever of them started. */
export class BrowserWithGateway {
  sandbox?: Sandbox;
  gateway?: StartedGateway;
  browser?: BrowserContext;
  /** The gateway's address as the browser sees it (its PUBLIC_URL, so the redirect URI names the real port). */
  origin = '';
  private readonly userDataDir = mkdtempSync(join(tmpdir(), 'gw-chromium-'));

  async start(env: Record<string, string> = {}): Promise<void> {
    this.sandbox = await startSandbox({ quiet: true });
    const port = await freePort();
    this.origin = `http://127.0.0.1:${port}`;
    this.gateway = await startTestGateway({ SANDBOX: 'on', RATE_LIMITS: 'off', PORT: String(port), PUBLIC_URL: this.origin, ...env }, { sandbox: this.sandbox });
    this.browser = await launchChromium(this.userDataDir);
  }

  async close(): Promise<void> {
    await this.browser?.close();
    await this.gateway?.close();
    await this.sandbox?.close();
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}
