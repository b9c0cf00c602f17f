// Opens, authenticates and revokes gateway sessions (opaque 256-bit bearer tokens).
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { randomToken } from '../crypto/secrets';
import { ALL_USERS, type InvalidationPublisher } from '../scale/invalidations';
import type { SessionTokenHash } from './session-token-hash';
import type { SessionsRepository, StoredSession } from './sessions.repository';

export interface OpenedSession {
  sessionId: string;
  /** Given to the caller once; only its hash is stored. */
  sessionToken: string;
  expiresAt: Date;
}

export interface SessionServiceOptions {
  ttlSeconds: number;
  /** Keyed with SECRET_KEY (session-token-hash.ts). */
  hashToken: SessionTokenHash;
  /** How long an authenticated session is trusted from memory before the database is asked again. */
  cacheTtlMs?: number;
  cacheSize?: number;
  /** How often coalesced last-seen times are written. */
  lastSeenFlushMs?: number;
  /** Told when a timed last-seen write fails (the times are lost; sessions keep working). */
  onFlushFailure?: (error: unknown) => void;
  /** With several instances (Redis): a revocation here makes the others drop the session from memory at once. */
  invalidations?: InvalidationPublisher;
}

export class SessionService {
  private readonly cache: LRUCache<string, StoredSession>;
  /** Sessions revoked here lately: a lookup that read the row just before the revocation must not cache it again. */
  private readonly recentlyRevoked: LRUCache<string, true>;
  /** Bumped when many sessions are dropped at once: a lookup that began before does not cache what it read. */
  private forgetGeneration = 0;
  private readonly pendingLastSeen = new Map<string, Date>();
  private readonly flushTimer: NodeJS.Timeout;

  constructor(
    private readonly repository: SessionsRepository,
    private readonly options: SessionServiceOptions,
  ) {
    this.cache = new LRUCache({ max: options.cacheSize ?? 10_000, ttl: options.cacheTtlMs ?? 5_000 });
    this.recentlyRevoked = new LRUCache({ max: options.cacheSize ?? 10_000, ttl: options.cacheTtlMs ?? 5_000 });
    // A timer has no caller to reject to: a failed write must not become an unhandled rejection.
    this.flushTimer = setInterval(() => void this.flushLastSeen().catch(options.onFlushFailure ?? (() => {})), options.lastSeenFlushMs ?? 60_000);
    this.flushTimer.unref();
  }

  async open(userId: string, now = new Date()): Promise<OpenedSession> {
    const sessionToken = randomToken();
    const session = { id: randomUUID(), userId, expiresAt: new Date(now.getTime() + this.options.ttlSeconds * 1000) };
    await this.repository.create({ ...session, tokenHash: this.options.hashToken(sessionToken) }, now);
    return { sessionId: session.id, sessionToken, expiresAt: session.expiresAt };
  }

  /** The live session a bearer token names, or undefined for an unknown, expired or revoked one. */
  async authenticate(sessionToken: string, now = new Date()): Promise<StoredSession | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(sessionToken)) return undefined;
    const tokenHash = this.options.hashToken(sessionToken);
    let session = this.cache.get(tokenHash);
    if (!session) {
      const generation = this.forgetGeneration;
      session = await this.repository.findActiveByTokenHash(tokenHash, now);
      if (!session || this.recentlyRevoked.has(session.id)) return undefined;
      if (generation === this.forgetGeneration) this.cache.set(tokenHash, session);
    }
    if (session.expiresAt.getTime() <= now.getTime()) {
      this.cache.delete(tokenHash);
      return undefined;
    }
    // Last-seen is coalesced: one write per session per flush, never one per request.
    this.pendingLastSeen.set(session.id, now);
    return session;
  }

  async revoke(sessionId: string, now = new Date()): Promise<boolean> {
    this.forgetLocally(sessionId);
    const wasRevoked = await this.repository.revoke(sessionId, now);
    // After the row changed, so an instance that drops its copy and asks the database again sees the revocation.
    await this.options.invalidations?.publish({ kind: 'session', id: sessionId });
    return wasRevoked;
  }

  /** Emergencies (npm run sessions:revoke): ends every live session of one user at once, on every instance. */
  async revokeAllOfUser(userId: string, now = new Date()): Promise<number> {
    this.forgetUserLocally(userId);
    const revoked = await this.repository.revokeLive(userId, now);
    await this.options.invalidations?.publish({ kind: 'user-sessions', id: userId });
    return revoked;
  }

  /** Emergencies (npm run sessions:revoke -- --all): ends every live session, on every instance. */
  async revokeEveryone(now = new Date()): Promise<number> {
    this.forgetAllLocally();
    const revoked = await this.repository.revokeLive(undefined, now);
    await this.options.invalidations?.publish({ kind: 'user-sessions', id: ALL_USERS });
    return revoked;
  }

  /** Drops this instance's memory of a session (revoked here, or on another instance). */
  forgetLocally(sessionId: string): void {
    this.recentlyRevoked.set(sessionId, true);
    for (const [tokenHash, session] of this.cache.entries()) {
      if (session.id === sessionId) this.cache.delete(tokenHash);
    }
    this.pendingLastSeen.delete(sessionId);
  }

  /** Drops this instance's memory of one user's sessions (all revoked here, or on another instance). */
  forgetUserLocally(userId: string): void {
    this.forgetGeneration += 1;
    for (const [tokenHash, session] of this.cache.entries()) {
      if (session.userId !== userId) continue;
      this.cache.delete(tokenHash);
      this.pendingLastSeen.delete(session.id);
    }
  }

  /** Drops this instance's memory of every session: all revoked, or revocations missed while Redis was away. */
  forgetAllLocally(): void {
    this.forgetGeneration += 1;
    this.cache.clear();
  }

  async flushLastSeen(): Promise<void> {
    if (this.pendingLastSeen.size === 0) return;
    const batch = [...this.pendingLastSeen].map(([sessionId, at]) => ({ sessionId, at }));
    this.pendingLastSeen.clear();
    await this.repository.touch(batch);
  }

  async stop(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flushLastSeen();
  }
}
