/** Bounds how many expensive checks (scrypt) run at once and how many may wait. */
export interface VerifyGate {
  /** Runs `task` when a slot is free; null, without running it, when the queue is full. */
  run<T>(task: () => Promise<T>): Promise<T> | null;
  /** Tasks running plus waiting. */
  pending(): number;
}

export interface VerifyGateOptions {
  concurrency: number;
  maxQueued: number;
}

/**
 * A CONNECT storm from many addresses (which no per-address count can stop) costs at most
 * `concurrency` scrypt runs at a time; beyond `maxQueued` waiting, the caller refuses at once
 * instead of piling up memory and latency for every box.
 */
export function createVerifyGate(opts: VerifyGateOptions): VerifyGate {
  let running = 0;
  const waiting: Array<() => void> = [];

  function release(): void {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  }

  return {
    run<T>(task: () => Promise<T>): Promise<T> | null {
      if (running >= opts.concurrency && waiting.length >= opts.maxQueued) return null;
      const start = () => {
        const result = Promise.resolve().then(task);
        result.then(release, release);
        return result;
      };
      if (running < opts.concurrency) {
        running++;
        return start();
      }
      return new Promise<T>((resolve, reject) => {
        waiting.push(() => start().then(resolve, reject));
      });
    },
    pending: () => running + waiting.length,
  };
}
