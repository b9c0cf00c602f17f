// Promises opened from outside: they let a test order concurrent work by what happened, never by sleeping.
export interface Gate<T = void> {
  readonly promise: Promise<T>;
  open(value: T): void;
}

export function gate<T = void>(): Gate<T> {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

export interface HeldTask {
  /** The task to hand over: it says it started, then waits for `release`. */
  run(): Promise<void>;
  /** Resolves once the task runs. */
  readonly started: Promise<void>;
  release(): void;
}

/** A task that holds whatever runs it (a lock, a slot) until the test releases it. */
export function heldTask(): HeldTask {
  const started = gate();
  const released = gate();
  return {
    run: async () => {
      started.open();
      await released.promise;
    },
    started: started.promise,
    release: () => released.open(),
  };
}

/**
 * Two tasks that each end only once the other runs too: they finish only if whatever runs them lets both run at the
 * same time, and otherwise hang until the test's timeout.
 */
export function tasksThatMustOverlap(): [() => Promise<void>, () => Promise<void>] {
  const first = gate();
  const second = gate();
  return [
    async () => {
      first.open();
      await second.promise;
    },
    async () => {
      second.open();
      await first.promise;
    },
  ];
}
