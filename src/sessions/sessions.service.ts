// Opens, authenticates and revokes gateway sessions (opaque 256-bit bearer tokens).
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { randomToken, sha256Hex } from '../crypto/secrets';
import type { SessionsRepository, StoredSession } from './sessions.repository';

export interface OpenedSession {
  sessionId: string;
  /** Given to the caller once; only its hash is stored. */
  sessionToken: string;
  expiresAt: Date;
}

export interface SessionServiceOptions {
  ttlSeconds: number;
  /** How long an authenticated session is trusted from memory before the database is asked again. */
  cacheTtlMs?: number;
  cacheSize?: number;
  /** How often coalesced last-seen times are written. */
  lastSeenFlushMs?: number;
}

export class SessionService {
  private readonly cache: LRUCache<string, StoredSession>;
  private readonly pendingLastSeen = new Map<string, Date>();
  private readonly flushTimer: NodeJS.Timeout;

  constructor(
    private readonly repository: SessionsRepository,
    private readonly options: SessionServiceOptions,
  ) {
    this.cache = new LRUCache({ max: options.cacheSize ?? 10_000, ttl: options.cacheTtlMs ?? 5_000 });
    this.flushTimer = setInterval(() => this.flushLastSeen(), options.lastSeenFlushMs ?? 60_000);
    this.flushTimer.unref();
  }

  open(userId: string, now = new Date()): OpenedSession {
    const sessionToken = randomToken();
    const session = { id: randomUUID(), userId, expiresAt: new Date(now.getTime() + this.options.ttlSeconds * 1000) };
    this.repository.create({ ...session, tokenHash: sha256Hex(sessionToken) }, now);
    return { sessionId: session.id, sessionToken, expiresAt: session.expiresAt };
  }

  /** The live session a bearer token names, or undefined for an unknown, expired or revoked one. */
  authenticate(sessionToken: string, now = new Date()): StoredSession | undefined {
    if (!/^[A-Za-z0-9_-]{43}$/.test(sessionToken)) return undefined;
    const tokenHash = sha256Hex(sessionToken);
    let session = this.cache.get(tokenHash);
    if (!session) {
      session = this.repository.findActiveByTokenHash(tokenHash, now);
      if (!session) return undefined;
      this.cache.set(tokenHash, session);
    }
    if (session.expiresAt.getTime() <= now.getTime()) {
      this.cache.delete(tokenHash);
      return undefined;
    }
    // Last-seen is coalesced: one write per session per flush, never one per request.
    this.pendingLastSeen.set(session.id, now);
    return session;
  }

  revoke(sessionId: string, now = new Date()): boolean {
    for (const [tokenHash, session] of this.cache.entries()) {
      if (session.id === sessionId) this.cache.delete(tokenHash);
    }
    this.pendingLastSeen.delete(sessionId);
    return this.repository.revoke(sessionId, now);
  }

  flushLastSeen(): void {
    if (this.pendingLastSeen.size === 0) return;
    const batch = [...this.pendingLastSeen].map(([sessionId, at]) => ({ sessionId, at }));
    this.pendingLastSeen.clear();
    this.repository.touch(batch);
  }

  stop(): void {
    clearInterval(this.flushTimer);
    this.flushLastSeen();
  }
}
