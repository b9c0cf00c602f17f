// Public types of the Microsoft sandbox: options, the running sandbox, its control surface, users and apps.

export interface SandboxApp {
  clientId: string;
  clientSecret: string;
  /** PEM of the app's certificate: with it, the app may also authenticate with client assertions signed by its key. */
  certificate?: string;
  redirectUris: string[];
}

export interface SandboxUser {
  /** Object id (oid): the same GUID as the Graph user id. */
  id: string;
  tenantId: string;
  email: string;
  displayName: string;
  givenName: string;
  surname: string;
  jobTitle: string;
  officeLocation: string;
  preferredLanguage: string;
  /** May consent to apps for the whole tenant (GET /{tenant}/v2.0/adminconsent). */
  isTenantAdmin?: boolean;
}

export interface ThrottleOptions {
  /** Outlook allows 4 concurrent requests per app and mailbox. */
  concurrentRequestsPerMailbox?: number;
  /** Outlook allows 10,000 requests per 10 minutes per app and mailbox. */
  requestsPerWindow?: number;
  windowSeconds?: number;
}

export interface NotificationOptions {
  /** Changes within this many milliseconds go out in one POST per notification URL; default 50. */
  batchWindowMs?: number;
  /** Waits before each retry of a failed delivery; default [1000, 5000, 15000] (Graph retries for up to 4 hours). */
  retryDelaysMs?: number[];
  /** A receiver must answer a notification within this time; default 3000 (Graph's documented limit). */
  deliveryTimeoutMs?: number;
  /** A receiver must answer the validation handshake within this time; default 10000 (Graph's documented limit). */
  validationTimeoutMs?: number;
}

export interface SandboxOptions {
  host?: string;
  /** HTTPS port for the identity platform, Graph and /_sandbox; 0 picks a free one. */
  port?: number;
  /** Plain-HTTP port for the browser-facing sign-in page; 0 picks a free one. */
  browserPort?: number;
  apps?: SandboxApp[];
  accessTokenLifetimeSeconds?: number;
  /** How long a refresh token may go unused before it is refused (Microsoft: 90 days); tests shorten it. */
  refreshTokenMaxInactiveMs?: number;
  throttle?: ThrottleOptions;
  /**
   * A JSON file that keeps users, apps, events, issued tokens, the signing key and the ports across restarts;
   * without it everything lives in memory.
   */
  stateFile?: string;
  /** Change notifications (webhooks): batching, retries and timeouts. */
  notifications?: NotificationOptions;
  /** Clock in epoch milliseconds, for tests. */
  now?: () => number;
  quiet?: boolean;
}

export interface FaultSpec {
  status: number;
  retryAfterSeconds?: number;
  /** How many matching requests fail; default 1. */
  count?: number;
  /** Substring of the URL path, e.g. '/oauth2/v2.0/token' or '/calendarView'. */
  path?: string;
  method?: string;
  /** Delay before answering; with status 0 the request is only slowed down. */
  delayMs?: number;
  /** Replaces the default error body. */
  body?: unknown;
}

export interface SandboxCounters {
  tokenGrants: { authorization_code: number; refresh_token: number };
  refreshGrantsByUser: Record<string, number>;
  graphRequests: Record<string, number>;
  peakConcurrencyByMailbox: Record<string, number>;
  throttled: number;
  /** Change and lifecycle notifications: acknowledged with 2xx, dropped after the last retry, failed attempts retried. */
  notifications: { delivered: number; failed: number; retried: number };
}

/** A change made to a mailbox as if by another client (Outlook, a phone), not through this app's Graph calls. */
export type ExternalChange =
  | { type: 'created'; event: Record<string, unknown>; calendarId?: string }
  | { type: 'updated'; id: string; changes: Record<string, unknown> }
  | { type: 'deleted'; id: string };

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

/** A Graph subscription as the sandbox keeps it (the same fields Graph returns). */
export interface SandboxSubscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: string;
  applicationId: string;
  creatorId: string;
}

export interface SandboxControl {
  injectFault(fault: FaultSpec): void;
  setLatency(ms: number, path?: string): void;
  expireAccessTokens(email: string): void;
  revokeRefreshTokens(email: string): void;
  setAccessTokenLifetime(seconds: number): void;
  /**
   * Every event Graph returns from now on carries these fields in place of its own, e.g. `{ showAs: 'focusTime' }` for a
   * value Microsoft adds later; `{}` stops it.
   */
  overrideEventFields(fields: Record<string, unknown>): void;
  counters(): SandboxCounters;
  resetCounters(): void;
  /**
   * Creates, updates or deletes an event in the user's mailbox as another client would; subscriptions are notified.
   * Returns the event's Graph JSON (null after a delete).
   */
  simulateExternalChange(email: string, change: ExternalChange): Record<string, unknown> | null;
  /** Sends every pending notification now (retries without waiting) and resolves once none is in flight. */
  deliverNotifications(): Promise<void>;
  /** Posts the last change-notification payload again to the same URL, as Graph may deliver duplicates. */
  redeliverLastNotification(): Promise<void>;
  /** Posts a lifecycle notification to the subscription's lifecycleNotificationUrl; subscriptionRemoved also removes it. */
  sendLifecycleNotification(subscriptionId: string, lifecycleEvent: LifecycleEvent): Promise<void>;
  /** Active subscriptions, of one user or of all. */
  subscriptions(email?: string): SandboxSubscription[];
  /** The user's calendarView delta tokens (and paging tokens) become unknown: the next use answers 410 syncStateNotFound. */
  expireDeltaTokens(email: string): void;
  /** Clears faults, latency, counters and event field overrides (not users, tokens or events). */
  reset(): void;
}

export interface Sandbox {
  authorityHost: string;
  graphBaseUrl: string;
  browserBaseUrl: string;
  caCertificatePem: string;
  authorityMetadata(tenant: string): string;
  users: SandboxUser[];
  /** Adds a user to the sandbox tenant with a default and a read-only calendar and a fortnight of events (load tests, demos). */
  addUser(user: { email: string; displayName: string } & Partial<Omit<SandboxUser, 'tenantId'>>): SandboxUser;
  registerApp(app: SandboxApp): void;
  control: SandboxControl;
  close(): Promise<void>;
}
