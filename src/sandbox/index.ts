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
import { loopbackBatchItems } from './graph/batch-dispatch';
import { GRAPH_VERSIONS, graphRouter } from './graph/graph-router';
import { DeltaTokenStore } from './graph/delta-tokens';
import { MailboxStore } from './graph/mailbox-store';
import { Notifier } from './graph/notifier';
import { SubscriptionStore } from './graph/subscription-store';
import { openIdConfiguration } from './identity/discovery';
import { UsedAssertionIds } from './identity/client-assertion';
import { GrantStore, REFRESH_TOKEN_MAX_INACTIVE_MS } from './identity/grant-store';
import { browserRouter, identityRouter } from './identity/identity-router';
import { createSnapshotWriter, readSnapshot, type SandboxSnapshot, type SnapshotWriter } from './persistence';
import { SigningKeys } from './signing-keys';
import type { SandboxState } from './state';
import { createTlsCertificate } from './tls-certificate';
import type { Sandbox, SandboxOptions, SandboxUser } from './types';

export type * from './types';
export { ADMIN_CONSENT_TENANT_ID, SANDBOX_TENANT_ID } from './directory';

/** Listens on the port a restarted sandbox had before, or on any free one when it is taken now. */
async function listenPreferring(server: http.Server, host: string, wanted: number | undefined, saved: number | undefined): Promise<number> {
  if (wanted === undefined && saved) {
    try {
      return await listen(server, host, saved);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  return listen(server, host, wanted ?? 0);
}

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

/** A state file written before a demo user existed gains that user (the admin consent tenant's, for one). */
function withDemoUsers(saved: SandboxUser[] | undefined): SandboxUser[] {
  if (!saved) return createDemoUsers();
  const known = new Set(saved.map((user) => user.id));
  return [...saved, ...createDemoUsers().filter((user) => !known.has(user.id))];
}

function createState(options: SandboxOptions, saved: SandboxSnapshot | undefined, log: (message: string) => void): SandboxState {
  const now = options.now ?? Date.now;
  const directory = new Directory(withDemoUsers(saved?.users), saved?.adminConsents);
  for (const app of [...(saved?.apps ?? []), ...(options.apps ?? [])]) directory.registerApp(app);
  const mailboxes = new MailboxStore(saved?.mailboxes);
  for (const user of directory.users) {
    if (!mailboxes.has(user.id)) seedMailbox(mailboxes.mailbox(user.id), user, directory.users, now());
  }
  const counters = new Counters();
  const subscriptions = new SubscriptionStore(now, saved?.subscriptions);
  return {
    now, directory, mailboxes, subscriptions,
    notifier: new Notifier(mailboxes, subscriptions, counters, log, options.notifications),
    deltaTokens: new DeltaTokenStore(saved?.deltaTokens),
    urls: { authorityHost: '', graphBaseUrl: '', browserBaseUrl: '' },
    keys: new SigningKeys(saved?.signingKeyPem), grants: new GrantStore(now, saved?.grants), usedAssertionIds: new UsedAssertionIds(), faults: new FaultBook(), counters,
    throttle: {
      concurrentRequestsPerMailbox: options.throttle?.concurrentRequestsPerMailbox ?? 4,
      requestsPerWindow: options.throttle?.requestsPerWindow ?? 10_000,
      windowSeconds: options.throttle?.windowSeconds ?? 600,
    },
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    refreshTokenMaxInactiveMs: options.refreshTokenMaxInactiveMs ?? REFRESH_TOKEN_MAX_INACTIVE_MS,
    eventFieldOverrides: {},
    log,
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

function snapshotOf(state: SandboxState, ports: SandboxSnapshot['ports']): SandboxSnapshot {
  return {
    version: 1,
    users: state.directory.users,
    apps: state.directory.registeredApps(),
    mailboxes: state.mailboxes.snapshot(),
    grants: state.grants.snapshot(),
    adminConsents: state.directory.adminConsentSnapshot(),
    subscriptions: state.subscriptions.snapshot(),
    deltaTokens: state.deltaTokens.snapshot(),
    signingKeyPem: state.keys.privateKeyPem(),
    ports,
  };
}

/** Every request that may change state (sign-ins, token grants, event writes) schedules a save once answered. */
function savingAfterChanges(writer: SnapshotWriter | undefined): express.RequestHandler {
  return (request, response, next) => {
    if (writer && request.method !== 'GET' && request.method !== 'HEAD') response.once('finish', () => writer.schedule());
    next();
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const log = options.quiet ? () => undefined : (message: string) => console.error(`[sandbox] ${message}`);
  const saved = options.stateFile ? readSnapshot(options.stateFile, log) : undefined;
  const state = createState(options, saved, log);
  const ports = { secure: 0, browser: 0 };
  const writer = options.stateFile ? createSnapshotWriter(options.stateFile, () => snapshotOf(state, ports)) : undefined;
  const control = createSandboxControl(state);
  const tlsMaterial = await createTlsCertificate(host);

  const secureApp = express();
  secureApp.disable('x-powered-by');
  secureApp.use(savingAfterChanges(writer));
  secureApp.use('/_sandbox', controlRouter(control));
  const batchItems = loopbackBatchItems(() => state.urls.graphBaseUrl, tlsMaterial.certPem);
  for (const version of GRAPH_VERSIONS) secureApp.use(`/${version}`, graphRouter(state, { batchItems }));
  secureApp.use(identityRouter(state));
  const browserApp = express();
  browserApp.disable('x-powered-by');
  browserApp.use(savingAfterChanges(writer));
  browserApp.use(browserRouter(state));

  const secureServer = https.createServer({ key: tlsMaterial.keyPem, cert: tlsMaterial.certPem }, secureApp);
  const browserServer = http.createServer(browserApp);
  const close = async () => {
    state.notifier.close();
    await Promise.all([closeServer(secureServer), closeServer(browserServer)]);
    writer?.flush();
  };
  try {
    const urlHost = host.includes(':') ? `[${host}]` : host;
    ports.secure = await listenPreferring(secureServer, host, options.port, saved?.ports.secure);
    ports.browser = await listenPreferring(browserServer, host, options.browserPort, saved?.ports.browser);
    state.urls.authorityHost = `https://${urlHost}:${ports.secure}`;
    state.urls.graphBaseUrl = state.urls.authorityHost;
    state.urls.browserBaseUrl = `http://${urlHost}:${ports.browser}`;
    writer?.schedule();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    ...state.urls,
    caCertificatePem: tlsMaterial.certPem,
    authorityMetadata: (tenant: string) => JSON.stringify(openIdConfiguration(state, tenant)),
    users: state.directory.users,
    addUser: (wanted) => {
      const user = addUser(state, wanted);
      writer?.schedule();
      return user;
    },
    registerApp: (app) => {
      state.directory.registerApp(app);
      writer?.schedule();
    },
    control,
    close,
  };
}
