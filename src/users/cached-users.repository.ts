// Keeps recently read users in memory for a few seconds: every authenticated `viewer` reads its user row.
import { LRUCache } from 'lru-cache';
import type { NewUser, User, UsersRepository } from './users.repository';

export interface CachedUsersOptions {
  /**
   * How long a row is served from memory. Writes through this object drop it at once; a profile changed by another
   * instance (a sign-in there) shows here after at most this long, like the session cache.
   */
  ttlMs?: number;
  max?: number;
}

/** A UsersRepository that answers findById from a small bounded cache and forgets a user whenever it writes one. */
export class CachedUsersRepository implements UsersRepository {
  private readonly byId: LRUCache<string, User>;

  constructor(private readonly stored: UsersRepository, options: CachedUsersOptions = {}) {
    this.byId = new LRUCache({ max: options.max ?? 10_000, ttl: options.ttlMs ?? 5_000 });
  }

  async findById(id: string): Promise<User | undefined> {
    const cached = this.byId.get(id);
    if (cached) return cached;
    const user = await this.stored.findById(id);
    // A missing user is not remembered: it may be created a moment later.
    if (user) this.byId.set(id, user);
    return user;
  }

  findByIdentity(tenantId: string, microsoftUserId: string): Promise<User | undefined> {
    return this.stored.findByIdentity(tenantId, microsoftUserId);
  }

  create(user: NewUser, now?: Date): Promise<User> {
    return this.stored.create(user, now);
  }

  async findOrCreateByIdentity(user: NewUser, now?: Date): Promise<User> {
    const found = await this.stored.findOrCreateByIdentity(user, now);
    this.byId.delete(found.id);
    return found;
  }

  async updateProfile(id: string, profile: { displayName?: string | null; email?: string | null }, now?: Date): Promise<void> {
    this.byId.delete(id);
    try {
      await this.stored.updateProfile(id, profile, now);
    } finally {
      // Also after the write: a read that raced it must not leave the old profile behind.
      this.byId.delete(id);
    }
  }
}
