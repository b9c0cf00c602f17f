// Named leases with an expiry in PostgreSQL, shared by every instance on the database.
import { and, eq } from 'drizzle-orm';
import type { PostgresDb } from '../db/database';
import { leases } from '../db/schema.postgres';
import { takeOver, type LeasesRepository } from './leases.repository';

export class PostgresLeasesRepository implements LeasesRepository {
  constructor(private readonly db: PostgresDb) {}

  async tryAcquire(name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    const taken = await this.db
      .insert(leases)
      .values({ name, holder, expiresAt: now + ttlMs })
      .onConflictDoUpdate(takeOver(leases, holder, now, ttlMs))
      .returning({ name: leases.name });
    return taken.length > 0;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db.delete(leases).where(and(eq(leases.name, name), eq(leases.holder, holder)));
  }
}
