// Keeps a sandbox's state (users, apps, mailboxes, grants, subscriptions, delta tokens, signing key, ports) in a JSON file across restarts.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MailboxSnapshot } from './graph/mailbox-store';
import type { DeltaTokenRecord } from './graph/delta-tokens';
import type { StoredSubscription } from './graph/subscription-store';
import type { GrantSnapshot } from './identity/grant-store';
import type { SandboxApp, SandboxUser } from './types';

const SNAPSHOT_VERSION = 1;
/** Writes are gathered: a sign-in makes several requests in a row, and one file write covers them all. */
const SAVE_DELAY_MS = 100;

export interface SandboxSnapshot {
  version: typeof SNAPSHOT_VERSION;
  users: SandboxUser[];
  apps: SandboxApp[];
  mailboxes: MailboxSnapshot[];
  grants: GrantSnapshot;
  /** Apps an administrator consented to, per tenant (absent in files written before tenants could require it). */
  adminConsents?: Array<[string, string[]]>;
  /** Absent in files written before change notifications existed. */
  subscriptions?: StoredSubscription[];
  /** calendarView delta tokens (paging rounds in progress are not kept). */
  deltaTokens?: DeltaTokenRecord[];
  /** Tokens signed before a restart must still verify after it. */
  signingKeyPem: string;
  /** The same addresses again: the gateway's token cache names the authority host and port it signed in with. */
  ports: { secure: number; browser: number };
}

/** The snapshot in `file`, or undefined when there is none yet. A file that cannot be read is set aside, not lost. */
export function readSnapshot(file: string, log: (message: string) => void): SandboxSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const snapshot = JSON.parse(text) as SandboxSnapshot;
    if (snapshot.version === SNAPSHOT_VERSION) return snapshot;
  } catch {
    // Falls through: set aside below.
  }
  const asideFile = `${file}.unreadable-${Date.now()}`;
  renameSync(file, asideFile);
  log(`could not read the saved sandbox state; starting afresh (the old file is kept as ${asideFile})`);
  return undefined;
}

export interface SnapshotWriter {
  /** Saves soon; several calls in a row make one write. */
  schedule(): void;
  /** Saves now if anything changed (at close). */
  flush(): void;
}

export function createSnapshotWriter(file: string, takeSnapshot: () => SandboxSnapshot): SnapshotWriter {
  let timer: NodeJS.Timeout | undefined;
  const write = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Written whole, then renamed over the old file: a crash mid-write never leaves half a state behind.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(takeSnapshot()), { mode: 0o600 });
    renameSync(partial, file);
  };
  return {
    schedule() {
      if (timer) return;
      timer = setTimeout(write, SAVE_DELAY_MS);
      timer.unref();
    },
    flush() {
      if (timer) write();
    },
  };
}
