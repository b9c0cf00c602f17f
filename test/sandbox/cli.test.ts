// `npm run sandbox` on its own: it registers the callback of the gateway it is told about, on any port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { gatewayCallbackFrom } from '../../src/sandbox/cli';
import { signInAs } from '../support/sign-in';
import { startTestGateway, type StartedGateway } from '../support/start-gateway';

describe('the gateway address the sandbox CLI takes', () => {
  it.each([
    [undefined, 'http://localhost:4000/auth/microsoft/callback'],
    ['5173', 'http://localhost:5173/auth/microsoft/callback'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/auth/microsoft/callback'],
    ['https://gateway.example/base/', 'https://gateway.example/base/auth/microsoft/callback'],
  ])('turns %s into the callback %s', (given, callback) => {
    expect(gatewayCallbackFrom(given)).toBe(callback);
  });

  it.each(['ftp://example', 'not a url', '70000'])('refuses %s', (given) => {
    expect(() => gatewayCallbackFrom(given)).toThrow();
  });
});

/** The redirect URI names the gateway's port before the gateway starts, so one is chosen up front. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('npm run sandbox with --gateway', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gw-sandbox-cli-'));
  let sandbox: ChildProcess | undefined;
  let gateway: StartedGateway | undefined;
  let output = '';

  afterAll(async () => {
    await gateway?.close();
    if (sandbox && sandbox.exitCode === null) {
      const exited = new Promise((done) => sandbox!.once('exit', done));
      sandbox.kill('SIGTERM');
      await exited;
    }
    rmSync(folder, { recursive: true, force: true });
  });

  /** Starts the CLI and resolves with what it printed once its start-up text is complete. */
  function startCli(gatewayPort: number): Promise<string> {
    const root = resolve(__dirname, '../..');
    sandbox = spawn(process.execPath, ['-r', resolve(root, 'bench/register.js'), resolve(root, 'src/sandbox/cli.ts'), '--gateway', String(gatewayPort), '--no-state'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', SANDBOX_PORT: '0', SANDBOX_BROWSER_PORT: '0', SANDBOX_CA_FILE: join(folder, 'ca.pem') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((done, fail) => {
      const collect = (chunk: Buffer) => {
        output += String(chunk);
        if (output.includes('npm start')) done(output);
      };
      sandbox!.stdout!.on('data', collect);
      sandbox!.stderr!.on('data', collect);
      sandbox!.once('exit', (code) => fail(new Error(`the sandbox CLI exited with ${code}: ${output}`)));
    });
  }

  it('lets a gateway on another port than 4000 sign users in', async () => {
    const gatewayPort = await freePort();
    const printed = await startCli(gatewayPort);
    const authorityHost = /Identity platform \(HTTPS\): (\S+?)\/common/.exec(printed)![1];
    expect(printed).toContain(`redirect http://localhost:${gatewayPort}/auth/microsoft/callback`);
    gateway = await startTestGateway({
      PORT: String(gatewayPort),
      HOST: '127.0.0.1',
      CHANNELS: 'main',
      MICROSOFT_CLIENT_ID: 'sandbox-main-client',
      MICROSOFT_CLIENT_SECRET: 'sandbox-secret',
      MICROSOFT_AUTHORITY_HOST: authorityHost,
      MICROSOFT_GRAPH_BASE_URL: authorityHost,
      MICROSOFT_CA_FILE: join(folder, 'ca.pem'),
    });
    const signedIn = await signInAs(gateway, 'megan.bowen@contoso.example');
    expect(signedIn.sessionToken).toEqual(expect.any(String));
  });
});
