import { MailboxLimiter } from '../../src/microsoft/graph-mailbox-limiter';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('MailboxLimiter', () => {
  it('runs at most four tasks per mailbox and queues the rest in order', async () => {
    const limiter = new MailboxLimiter(4);
    let running = 0;
    let peak = 0;
    const finished: number[] = [];
    const releases: Array<() => void> = [];
    const tasks = Array.from({ length: 10 }, (_, index) => limiter.run('alice', async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running -= 1;
      finished.push(index);
    }));
    await tick();
    expect(running).toBe(4);
    while (finished.length < 10) {
      releases.shift()?.();
      await tick();
    }
    await Promise.all(tasks);
    expect(peak).toBe(4);
    expect(finished).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(limiter.inFlight('alice')).toBe(0);
  });

  it('keeps mailboxes apart', async () => {
    const limiter = new MailboxLimiter(1);
    let release!: () => void;
    const blocked = limiter.run('alice', () => new Promise<void>((resolve) => { release = resolve; }));
    await expect(limiter.run('bob', async () => 'bob ran')).resolves.toBe('bob ran');
    release();
    await blocked;
  });

  it('frees the slot when a task fails', async () => {
    const limiter = new MailboxLimiter(1);
    await expect(limiter.run('alice', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(limiter.run('alice', async () => 'next')).resolves.toBe('next');
  });
});
