// Debian's headless Chromium for the browser tests (via playwright-core), and a port chosen up front for a gateway.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
/** Without Chromium a browser test skips, loudly; in CI it fails instead. */
export const shouldRunBrowserTests = hasChromium || Boolean(process.env.CI);

export function warnWhenSkipped(what: string): void {
  if (!shouldRunBrowserTests) {
    console.warn(`\n*** SKIPPING ${what}: ${CHROMIUM} is missing (apt-get install -y chromium). In CI this test fails instead. ***\n`);
  }
}

export function launchChromium(userDataDir: string): Promise<BrowserContext> {
  if (!hasChromium) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (CI is set, so this test must not skip)`);
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
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
