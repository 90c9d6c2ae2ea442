/** Runs tasks one at a time per key, in the order they were queued; other keys run freely. */
export interface KeyedLock {
  run<T>(key: number, task: () => Promise<T>): Promise<T>;
  /** Resolves once no task is queued or running under any key (for a graceful stop). */
  idle(): Promise<void>;
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<number, Promise<void>>();
  return {
    run(key, task) {
      const result = (tails.get(key) ?? Promise.resolve()).then(task);
      // The next task waits for this one to settle, whether it failed or not.
      const tail = result.then(
        () => {},
        () => {},
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    async idle() {
      while (tails.size > 0) await Promise.all(tails.values());
    },
  };
}
