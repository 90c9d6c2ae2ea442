import type { Clock, Timers } from '../timers.ts';

interface Pending {
  id: number;
  due: number;
  fn: () => void;
  everyMs?: number;
}

/** A clock and timers that only move when the test calls advance(); callbacks run in due order. */
export function fakeTime(start = Date.UTC(2026, 10, 2, 6, 0, 0)) {
  let now = start;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const add = (fn: () => void, ms: number, everyMs?: number) => {
    const id = nextId++;
    pending.set(id, { id, due: now + Math.max(0, ms), fn, ...(everyMs === undefined ? {} : { everyMs: Math.max(1, everyMs) }) });
    return id;
  };
  const clear = (handle: unknown) => void pending.delete(handle as number);
  const clock: Clock = () => now;
  const timers: Timers = {
    setTimeout: (fn, ms) => add(fn, ms),
    clearTimeout: clear,
    setInterval: (fn, ms) => add(fn, ms, ms),
    clearInterval: clear,
  };
  return {
    clock,
    timers,
    /** Moves time forward by `ms`, firing every timer that falls due on the way. */
    advance(ms: number): void {
      const end = now + ms;
      for (;;) {
        const next = [...pending.values()].filter((p) => p.due <= end).sort((a, b) => a.due - b.due || a.id - b.id)[0];
        if (!next) break;
        now = next.due;
        if (next.everyMs === undefined) pending.delete(next.id);
        else next.due += next.everyMs;
        next.fn();
      }
      now = end;
    },
  };
}
