// A read that raced a forget learns it was overtaken; reads that start afterwards are current again.
import { ReadGenerations } from '../../src/tokens/read-generations';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => { resolve = done; });
  return { promise, resolve };
}

describe('ReadGenerations', () => {
  it('tells a read in flight that its key was forgotten, and leaves other keys alone', async () => {
    const reads = new ReadGenerations();
    const gate = deferred();
    const first = reads.track('MAIN:user-1', async (isCurrent) => { await gate.promise; return isCurrent(); });
    const other = reads.track('MAIN:user-2', async (isCurrent) => { await gate.promise; return isCurrent(); });
    reads.forget('MAIN:user-1');
    gate.resolve();
    expect(await first).toBe(false);
    expect(await other).toBe(true);
  });

  it('starts each read after a forget as current', async () => {
    const reads = new ReadGenerations();
    reads.forget('MAIN:user-1');
    expect(await reads.track('MAIN:user-1', async (isCurrent) => isCurrent())).toBe(true);
  });

  it('forgets every key in flight at once', async () => {
    const reads = new ReadGenerations();
    const gate = deferred();
    const inFlight = ['a', 'b'].map((key) => reads.track(key, async (isCurrent) => { await gate.promise; return isCurrent(); }));
    reads.forgetAll();
    gate.resolve();
    expect(await Promise.all(inFlight)).toEqual([false, false]);
  });

  it('passes a failing read\'s error on and still lets later reads be current', async () => {
    const reads = new ReadGenerations();
    await expect(reads.track('k', async () => { throw new Error('database gone'); })).rejects.toThrow('database gone');
    expect(await reads.track('k', async (isCurrent) => isCurrent())).toBe(true);
  });
});
