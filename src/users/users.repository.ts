// Storage of gateway users, each identified by one Microsoft identity (tenant id, object id).
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { GatewayDb } from '../db/database';
import { users } from '../db/schema.sqlite';

export interface User {
  id: string;
  tenantId: string;
  microsoftUserId: string;
  displayName: string | null;
  email: string | null;
  createdAt: Date;
}

export interface NewUser {
  tenantId: string;
  microsoftUserId: string;
  displayName?: string | null;
  email?: string | null;
}

export interface UsersRepository {
  findById(id: string): Promise<User | undefined>;
  findByIdentity(tenantId: string, microsoftUserId: string): Promise<User | undefined>;
  create(user: NewUser, now?: Date): Promise<User>;
  /** The user of this identity, created if there is none; of two concurrent first sign-ins both get the same user. */
  findOrCreateByIdentity(user: NewUser, now?: Date): Promise<User>;
  updateProfile(id: string, profile: { displayName?: string | null; email?: string | null }, now?: Date): Promise<void>;
}

/** A stored row as both dialects return it (timestamps in Unix milliseconds). */
export type UserRow = typeof users.$inferSelect;

/** The row a new user is stored as; both dialects store the same values. */
export function newUserRow(user: NewUser, now: Date) {
  return {
    id: randomUUID(),
    tenantId: user.tenantId,
    microsoftUserId: user.microsoftUserId,
    displayName: user.displayName ?? null,
    email: user.email ?? null,
    createdAt: now.getTime(),
    updatedAt: now.getTime(),
  };
}

/** Shared by both dialects, so they hand out the same objects. */
export function toUser(row: UserRow): User {
  return { ...row, createdAt: new Date(row.createdAt) };
}

/** Prepared once: building the query with Drizzle's builder on every call cost more than running it (hot path of viewer). */
function prepareFindById(db: GatewayDb) {
  return db.select().from(users).where(eq(users.id, sql.placeholder('id'))).prepare();
}

export class SqliteUsersRepository implements UsersRepository {
  private readonly findByIdStatement: ReturnType<typeof prepareFindById>;

  constructor(private readonly db: GatewayDb) {
    this.findByIdStatement = prepareFindById(db);
  }

  async findById(id: string): Promise<User | undefined> {
    const row = this.findByIdStatement.get({ id });
    return row && toUser(row);
  }

  async findByIdentity(tenantId: string, microsoftUserId: string): Promise<User | undefined> {
    const row = this.db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.microsoftUserId, microsoftUserId)))
      .get();
    return row && toUser(row);
  }

  async create(user: NewUser, now = new Date()): Promise<User> {
    const row = this.db
      .insert(users)
      .values(newUserRow(user, now))
      .returning()
      .get();
    return toUser(row);
  }

  async findOrCreateByIdentity(user: NewUser, now = new Date()): Promise<User> {
    // The unique identity index decides the race: the loser's insert does nothing and it reads the winner's row.
    this.db
      .insert(users)
      .values(newUserRow(user, now))
      .onConflictDoNothing({ target: [users.tenantId, users.microsoftUserId] })
      .run();
    const stored = await this.findByIdentity(user.tenantId, user.microsoftUserId);
    if (!stored) throw new Error('The user row vanished right after it was written');
    return stored;
  }

  async updateProfile(id: string, profile: { displayName?: string | null; email?: string | null }, now = new Date()): Promise<void> {
    this.db
      .update(users)
      .set({ ...profile, updatedAt: now.getTime() })
      .where(eq(users.id, id))
      .run();
  }
}
