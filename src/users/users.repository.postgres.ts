// Storage of gateway users in PostgreSQL: the same contract as the SQLite repository.
import { and, eq } from 'drizzle-orm';
import type { PostgresDb } from '../db/database';
import { users } from '../db/schema.postgres';
import { newUserRow, toUser, type NewUser, type User, type UsersRepository } from './users.repository';

export class PostgresUsersRepository implements UsersRepository {
  constructor(private readonly db: PostgresDb) {}

  async findById(id: string): Promise<User | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id)).limit(1);
    return row && toUser(row);
  }

  async findByIdentity(tenantId: string, microsoftUserId: string): Promise<User | undefined> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.microsoftUserId, microsoftUserId)))
      .limit(1);
    return row && toUser(row);
  }

  async create(user: NewUser, now = new Date()): Promise<User> {
    const [row] = await this.db
      .insert(users)
      .values(newUserRow(user, now))
      .returning();
    return toUser(row);
  }

  async findOrCreateByIdentity(user: NewUser, now = new Date()): Promise<User> {
    // The unique identity index decides a race between instances: the loser's insert does nothing and it reads the winner's row.
    await this.db
      .insert(users)
      .values(newUserRow(user, now))
      .onConflictDoNothing({ target: [users.tenantId, users.microsoftUserId] });
    const stored = await this.findByIdentity(user.tenantId, user.microsoftUserId);
    if (!stored) throw new Error('The user row vanished right after it was written');
    return stored;
  }

  async updateProfile(id: string, profile: { displayName?: string | null; email?: string | null }, now = new Date()): Promise<void> {
    await this.db
      .update(users)
      .set({ ...profile, updatedAt: now.getTime() })
      .where(eq(users.id, id));
  }
}
