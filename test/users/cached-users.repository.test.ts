import { CachedUsersRepository } from '../../src/users/cached-users.repository';
import type { NewUser, User, UsersRepository } from '../../src/users/users.repository';

/** An in-memory UsersRepository that counts reads by id. */
function storedUsers(): UsersRepository & { reads: number; rows: Map<string, User> } {
  const rows = new Map<string, User>();
  const store = {
    reads: 0,
    rows,
    async findById(id: string) {
      store.reads += 1;
      const row = rows.get(id);
      return row && { ...row };
    },
    async findByIdentity(tenantId: string, microsoftUserId: string) {
      return [...rows.values()].find((user) => user.tenantId === tenantId && user.microsoftUserId === microsoftUserId);
    },
    async create(user: NewUser) {
      const created = { id: `user-${rows.size + 1}`, displayName: null, email: null, ...user, createdAt: new Date(0) };
      rows.set(created.id, created);
      return created;
    },
    async findOrCreateByIdentity(user: NewUser) {
      return (await store.findByIdentity(user.tenantId, user.microsoftUserId)) ?? store.create(user);
    },
    async updateProfile(id: string, profile: { displayName?: string | null; email?: string | null }) {
      rows.set(id, { ...rows.get(id)!, ...profile });
    },
  };
  return store;
}

describe('CachedUsersRepository', () => {
  it('answers repeated reads of a user from memory', async () => {
    const stored = storedUsers();
    const user = await stored.create({ tenantId: 't', microsoftUserId: 'm', displayName: 'Ada' });
    const users = new CachedUsersRepository(stored);
    expect((await users.findById(user.id))?.displayName).toBe('Ada');
    expect((await users.findById(user.id))?.displayName).toBe('Ada');
    expect(stored.reads).toBe(1);
  });

  it('shows a profile updated through it at once', async () => {
    const stored = storedUsers();
    const user = await stored.create({ tenantId: 't', microsoftUserId: 'm', displayName: 'Ada' });
    const users = new CachedUsersRepository(stored);
    await users.findById(user.id);
    await users.updateProfile(user.id, { displayName: 'Ada Lovelace' });
    expect((await users.findById(user.id))?.displayName).toBe('Ada Lovelace');
  });

  it('does not remember a user that does not exist yet', async () => {
    const stored = storedUsers();
    const users = new CachedUsersRepository(stored);
    expect(await users.findById('user-1')).toBeUndefined();
    const created = await users.findOrCreateByIdentity({ tenantId: 't', microsoftUserId: 'm' });
    expect((await users.findById(created.id))?.id).toBe('user-1');
  });

  it('reads the stored row again once the entry has expired', async () => {
    const stored = storedUsers();
    const user = await stored.create({ tenantId: 't', microsoftUserId: 'm', displayName: 'Ada' });
    const users = new CachedUsersRepository(stored, { ttlMs: 20 });
    await users.findById(user.id);
    stored.rows.set(user.id, { ...user, displayName: 'Changed elsewhere' });
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect((await users.findById(user.id))?.displayName).toBe('Changed elsewhere');
  });
});
