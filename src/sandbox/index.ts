// Starts the Microsoft sandbox: identity platform v2.0 and Graph's calendar API over HTTPS, sign-in pages over HTTP.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Counters } from './control/counters';
import { controlRouter } from './control/control-router';
import { FaultBook } from './control/faults';
import { createSandboxControl } from './control/sandbox-control';
import { seedMailbox } from './demo-data';
import { createDemoUsers, Directory, SANDBOX_TENANT_ID } from './directory';
import { GRAPH_VERSIONS, graphRouter } from './graph/graph-router';
import { MailboxStore } from './graph/mailbox-store';
import { openIdConfiguration } from './identity/discovery';
import { GrantStore } from './identity/grant-store';
import { browserRouter, identityRouter } from './identity/identity-router';
import { SigningKeys } from './signing-keys';
import type { SandboxState } from './state';
import { createTlsCertificate } from './tls-certificate';
import type { Sandbox, SandboxOptions, SandboxUser } from './types';

export type * from './types';
export { SANDBOX_TENANT_ID } from './directory';

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function createState(options: SandboxOptions): SandboxState {
  const now = options.now ?? Date.now;
  const directory = new Directory(createDemoUsers());
  for (const app of options.apps ?? []) directory.registerApp(app);
  const mailboxes = new MailboxStore();
  for (const user of directory.users) seedMailbox(mailboxes.mailbox(user.id), user, directory.users, now());
  return {
    now, directory, mailboxes,
    urls: { authorityHost: '', graphBaseUrl: '', browserBaseUrl: '' },
    keys: new SigningKeys(), grants: new GrantStore(now), faults: new FaultBook(), counters: new Counters(),
    throttle: {
      concurrentRequestsPerMailbox: options.throttle?.concurrentRequestsPerMailbox ?? 4,
      requestsPerWindow: options.throttle?.requestsPerWindow ?? 10_000,
      windowSeconds: options.throttle?.windowSeconds ?? 600,
    },
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    eventFieldOverrides: {},
    log: options.quiet ? () => undefined : (message) => console.error(`[sandbox] ${message}`),
  };
}

function addUser(state: SandboxState, wanted: Parameters<Sandbox['addUser']>[0]): SandboxUser {
  const existing = state.directory.userByEmail(wanted.email);
  if (existing) return existing;
  const [givenName, ...rest] = wanted.displayName.split(' ');
  const user: SandboxUser = {
    id: randomUUID(), givenName, surname: rest.join(' '), jobTitle: 'Tester', officeLocation: 'Sandbox', preferredLanguage: 'en-US',
    ...wanted,
    email: wanted.email.trim().toLowerCase(),
    tenantId: SANDBOX_TENANT_ID,
  };
  state.directory.users.push(user);
  seedMailbox(state.mailboxes.mailbox(user.id), user, state.directory.users, state.now());
  return user;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const state = createState(options);
  const control = createSandboxControl(state);
  const tlsMaterial = await createTlsCertificate(host);

  const secureApp = express();
  secureApp.disable('x-powered-by');
  secureApp.use('/_sandbox', controlRouter(control));
  for (const version of GRAPH_VERSIONS) secureApp.use(`/${version}`, graphRouter(state));
  secureApp.use(identityRouter(state));
  const browserApp = express();
  browserApp.disable('x-powered-by');
  browserApp.use(browserRouter(state));

  const secureServer = https.createServer({ key: tlsMaterial.keyPem, cert: tlsMaterial.certPem }, secureApp);
  const browserServer = http.createServer(browserApp);
  const close = async () => {
    await Promise.all([closeServer(secureServer), closeServer(browserServer)]);
  };
  try {
    const urlHost = host.includes(':') ? `[${host}]` : host;
    const securePort = await listen(secureServer, host, options.port ?? 0);
    const browserPort = await listen(browserServer, host, options.browserPort ?? 0);
    state.urls.authorityHost = `https://${urlHost}:${securePort}`;
    state.urls.graphBaseUrl = state.urls.authorityHost;
    state.urls.browserBaseUrl = `http://${urlHost}:${browserPort}`;
  } catch (error) {
    await close();
    throw error;
  }
  return {
    ...state.urls,
    caCertificatePem: tlsMaterial.certPem,
    authorityMetadata: (tenant: string) => JSON.stringify(openIdConfiguration(state, tenant)),
    users: state.directory.users,
    addUser: (wanted) => addUser(state, wanted),
    registerApp: (app) => state.directory.registerApp(app),
    control,
    close,
  };
}
