import { describe, expect, it } from 'vitest';
import { createKeyedLock } from './keyed-lock.ts';

/** A promise the test settles by hand, so ordering is decided by the test, not by timers. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('keyed lock', () => {
  it('runs the tasks of one key one at a time, in the order they were queued', async () => {
    const lock = createKeyedLock();
    const seen: string[] = [];
    const first = gate();
    const a = lock.run(1, async () => {
      seen.push('a starts');
      await first.opened;
      seen.push('a ends');
    });
    const b = lock.run(1, async () => {
      seen.push('b runs');
    });
    await Promise.resolve();
    expect(seen).toEqual(['a starts']);
    first.open();
    await Promise.all([a, b]);
    expect(seen).toEqual(['a starts', 'a ends', 'b runs']);
  });

  it('lets other keys run while one key waits', async () => {
    const lock = createKeyedLock();
    const held = gate();
    const slow = lock.run(1, () => held.opened);
    await expect(lock.run(2, async () => 'other key')).resolves.toBe('other key');
    held.open();
    await slow;
  });

  it('runs the next task after one that failed, and hands the failure to its caller only', async () => {
    const lock = createKeyedLock();
    const failing = lock.run(1, async () => {
      throw new Error('boom');
    });
    const next = lock.run(1, async () => 'still runs');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('still runs');
  });

  it('is idle once every queued task has settled', async () => {
    const lock = createKeyedLock();
    const held = gate();
    let done = false;
    void lock.run(3, async () => {
      await held.opened;
      done = true;
    });
    const idle = lock.idle();
    held.open();
    await idle;
    expect(done).toBe(true);
  });
});
