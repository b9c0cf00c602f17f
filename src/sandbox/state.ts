// Everything one running sandbox holds, handed to each route module (no module keeps a hidden singleton).
import type { Counters } from './control/counters';
import type { FaultBook } from './control/faults';
import type { Directory } from './directory';
import type { DeltaTokenStore } from './graph/delta-tokens';
import type { MailboxStore } from './graph/mailbox-store';
import type { UsedAssertionIds } from './identity/client-assertion';
import type { Notifier } from './graph/notifier';
import type { SubscriptionStore } from './graph/subscription-store';
import type { GrantStore } from './identity/grant-store';
import type { SigningKeys } from './signing-keys';

export interface SandboxUrls {
  authorityHost: string;
  graphBaseUrl: string;
  browserBaseUrl: string;
}

export interface ThrottleLimits {
  concurrentRequestsPerMailbox: number;
  requestsPerWindow: number;
  windowSeconds: number;
}

export interface SandboxState {
  now: () => number;
  urls: SandboxUrls;
  keys: SigningKeys;
  directory: Directory;
  grants: GrantStore;
  /** jti of the client assertions already accepted: each is good for one request. */
  usedAssertionIds: UsedAssertionIds;
  mailboxes: MailboxStore;
  subscriptions: SubscriptionStore;
  notifier: Notifier;
  deltaTokens: DeltaTokenStore;
  faults: FaultBook;
  counters: Counters;
  throttle: ThrottleLimits;
  accessTokenLifetimeSeconds: number;
  /** Refresh tokens unused for longer are refused with AADSTS700082. */
  refreshTokenMaxInactiveMs: number;
  /** Fields every rendered event carries instead of its own (see SandboxControl.overrideEventFields). */
  eventFieldOverrides: Record<string, unknown>;
  log: (message: string) => void;
}
