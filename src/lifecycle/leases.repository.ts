// Named leases with an expiry (SQLite): one instance holds a background job at a time; a crashed holder's lease lapses.
import { and, eq, lt, or } from 'drizzle-orm';
import type { GatewayDb } from '../db/database';
import { leases } from '../db/schema.sqlite';
import type { leases as postgresLeases } from '../db/schema.postgres';

export interface LeasesRepository {
  /** Takes the lease, or extends it when `holder` already has it; false while another holder's lease is unexpired. */
  tryAcquire(name: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  /** Lets go early, when `holder` still has it. */
  release(name: string, holder: string): Promise<void>;
}

export class SqliteLeasesRepository implements LeasesRepository {
  constructor(private readonly db: GatewayDb) {}

  async tryAcquire(name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    return this.db.insert(leases).values({ name, holder, expiresAt: now + ttlMs }).onConflictDoUpdate(takeOver(leases, holder, now, ttlMs)).run().changes > 0;
  }

  async release(name: string, holder: string): Promise<void> {
    this.db.delete(leases).where(and(eq(leases.name, name), eq(leases.holder, holder))).run();
  }
}

/** ON CONFLICT … DO UPDATE … WHERE: the row changes only when it lapsed or is the caller's own, in one statement. */
export function takeOver<Table extends typeof leases | typeof postgresLeases>(table: Table, holder: string, now: number, ttlMs: number) {
  return {
    target: table.name as Table['name'],
    set: { holder, expiresAt: now + ttlMs },
    setWhere: or(lt(table.expiresAt, now), eq(table.holder, holder)),
  };
}
