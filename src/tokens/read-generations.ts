// Keeps a read that raced a change from being remembered: what a read began before a "forget" saw is already stale.

/**
 * Per key with reads in flight: how often it was forgotten since and how many reads wait. A read that began before a
 * forget (a disconnect, another instance's invalidation) must not put what it read back; entries go with their last read.
 */
export class ReadGenerations {
  private readonly generations = new Map<string, { generation: number; readers: number }>();

  /** Runs a read whose result may be remembered; `isCurrent()` says whether the key was forgotten since the read began. */
  async track<T>(key: string, read: (isCurrent: () => boolean) => Promise<T>): Promise<T> {
    const entry = this.generations.get(key) ?? { generation: 0, readers: 0 };
    this.generations.set(key, entry);
    entry.readers += 1;
    const startedAt = entry.generation;
    try {
      return await read(() => entry.generation === startedAt);
    } finally {
      entry.readers -= 1;
      // Kept only while reads are in flight, so the map never outgrows the requests being served.
      if (entry.readers === 0) this.generations.delete(key);
    }
  }

  /** Reads of `key` in flight now will see `isCurrent()` false. */
  forget(key: string): void {
    const inFlight = this.generations.get(key);
    if (inFlight) inFlight.generation += 1;
  }

  /** Every read in flight now will see `isCurrent()` false. */
  forgetAll(): void {
    for (const entry of this.generations.values()) entry.generation += 1;
  }
}
