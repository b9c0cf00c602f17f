// Storage of pending sign-ins: the state's hash, its encrypted PKCE verifier, nonce, return URL, binding hashes and expiry.
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { GatewayDb } from '../db/database';
import { oauthStates } from '../db/schema.sqlite';

export interface PendingSignIn {
  stateHash: string;
  channel: string;
  codeVerifierEncrypted: string;
  /** Encrypted like the verifier. */
  nonce: string;
  returnTo: string | null;
  linkUserId: string | null;
  /** Hash of the secret only the GraphQL client that started the sign-in holds; null for rows from before migration 0002. */
  completionSecretHash: string | null;
  /** Hash of the cookie given to the first browser that opened the start route; null until one did. */
  browserBindingHash: string | null;
  /** Microsoft's authorization URL, encrypted like the verifier; null for rows from before migration 0002. */
  authorizationUrlEncrypted: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export type ConsumeResult = { status: 'consumed'; pending: PendingSignIn } | { status: 'unknown' | 'already_used' };

export interface OauthStatesRepository {
  create(pending: PendingSignIn): Promise<void>;
  /** Marks the state used and returns it, in one statement: of two concurrent callers only one gets it. */
  consume(stateHash: string, now?: Date): Promise<ConsumeResult>;
  /** Reads a pending, unused state without spending it (the browser callback must not spend a linking state). */
  peek(stateHash: string): Promise<PendingSignIn | undefined>;
  /** Binds a pending, unused sign-in to a browser, once: false when another browser got there first. */
  bindBrowser(stateHash: string, browserBindingHash: string): Promise<boolean>;
  deleteExpired(before: Date): Promise<number>;
}

export class SqliteOauthStatesRepository implements OauthStatesRepository {
  constructor(private readonly db: GatewayDb) {}

  async create(pending: PendingSignIn): Promise<void> {
    this.db
      .insert(oauthStates)
      .values({ ...pending, createdAt: pending.createdAt.getTime(), expiresAt: pending.expiresAt.getTime() })
      .run();
  }

  async consume(stateHash: string, now = new Date()): Promise<ConsumeResult> {
    const row = this.db
      .update(oauthStates)
      .set({ consumedAt: now.getTime() })
      .where(and(eq(oauthStates.stateHash, stateHash), isNull(oauthStates.consumedAt)))
      .returning()
      .get();
    if (!row) {
      const exists = this.db.select({ stateHash: oauthStates.stateHash }).from(oauthStates).where(eq(oauthStates.stateHash, stateHash)).get();
      return { status: exists ? 'already_used' : 'unknown' };
    }
    return { status: 'consumed', pending: toPending(row) };
  }

  async peek(stateHash: string): Promise<PendingSignIn | undefined> {
    const row = this.db
      .select()
      .from(oauthStates)
      .where(and(eq(oauthStates.stateHash, stateHash), isNull(oauthStates.consumedAt)))
      .get();
    return row && toPending(row);
  }

  async bindBrowser(stateHash: string, browserBindingHash: string): Promise<boolean> {
    const result = this.db
      .update(oauthStates)
      .set({ browserBindingHash })
      // One statement: of two browsers opening the same start link, only the first is bound.
      .where(and(eq(oauthStates.stateHash, stateHash), isNull(oauthStates.consumedAt), isNull(oauthStates.browserBindingHash)))
      .run();
    return result.changes === 1;
  }

  async deleteExpired(before: Date): Promise<number> {
    return this.db.delete(oauthStates).where(lt(oauthStates.expiresAt, before.getTime())).run().changes;
  }
}

/** Shared by both dialects, so they hand out the same objects. */
export function toPending(row: typeof oauthStates.$inferSelect): PendingSignIn {
  return {
    stateHash: row.stateHash,
    channel: row.channel,
    codeVerifierEncrypted: row.codeVerifierEncrypted,
    nonce: row.nonce,
    returnTo: row.returnTo,
    linkUserId: row.linkUserId,
    completionSecretHash: row.completionSecretHash,
    browserBindingHash: row.browserBindingHash,
    authorizationUrlEncrypted: row.authorizationUrlEncrypted,
    createdAt: new Date(row.createdAt),
    expiresAt: new Date(row.expiresAt),
  };
}
