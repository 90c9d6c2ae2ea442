import type { Clock } from '../services/kernel/clock.ts';

/** Bounds the CONNECTs being authenticated at once; the others wait in arrival order. */
export interface ConnectGate {
  /**
   * Runs `start` now or when a slot frees, first come first served; `start` gets the function
   * that frees its slot (call it once). A CONNECT that waited longer than `maxWaitMs`, or found
   * `maxWaiting` ahead of it, gets `turnedAway` instead, so its box hears "server unavailable"
   * and retries rather than timing out.
   */
  enter(start: (release: () => void) => void, turnedAway: () => void): void;
  inFlight(): number;
  waiting(): number;
}

export interface ConnectGateOptions {
  concurrency: number;
  maxWaiting: number;
  maxWaitMs: number;
  clock: Clock;
}

interface Waiter {
  since: number;
  start: (release: () => void) => void;
  turnedAway: () => void;
}

/**
 * A storm of CONNECTs degrades evenly: at most `concurrency` are checked at a time (registry
 * reads, the odd scrypt of a not yet migrated box), the rest queue FIFO. No timer: the head of
 * the queue is looked at whenever a CONNECT arrives or a slot frees, which in a storm is often.
 */
export function createConnectGate(opts: ConnectGateOptions): ConnectGate {
  let running = 0;
  // An array with a moving head: shift() on a 10,000-long queue would copy it every time.
  let queue: Array<Waiter | undefined> = [];
  let head = 0;
  // A CONNECT refused synchronously frees its slot inside drain(); the outer loop carries on
  // instead of recursing once per waiter.
  let draining = false;
  const size = () => queue.length - head;
  const take = (): Waiter => {
    const next = queue[head] as Waiter;
    queue[head++] = undefined;
    return next;
  };

  const run = (start: Waiter['start']) => {
    running++;
    let released = false;
    start(() => {
      if (released) return;
      released = true;
      running--;
      drain();
    });
  };
  function turnAwayStale(now: number): void {
    while (size() > 0 && now - (queue[head] as Waiter).since > opts.maxWaitMs) take().turnedAway();
  }
  function drain(): void {
    if (draining) return;
    draining = true;
    try {
      turnAwayStale(opts.clock());
      while (running < opts.concurrency && size() > 0) run(take().start);
      if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
    } finally {
      draining = false;
    }
  }

  return {
    enter(start, turnedAway) {
      const now = opts.clock();
      turnAwayStale(now);
      if (running < opts.concurrency && size() === 0) return run(start);
      if (size() >= opts.maxWaiting) return turnedAway();
      queue.push({ since: now, start, turnedAway });
    },
    inFlight: () => running,
    waiting: size,
  };
}
