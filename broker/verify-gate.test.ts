import { describe, expect, it } from 'vitest';
import { createVerifyGate } from './verify-gate.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('verify gate', () => {
  it('runs at most `concurrency` tasks at once and starts the next when one ends', async () => {
    const gate = createVerifyGate({ concurrency: 2, maxQueued: 10 });
    const blockers = [deferred(), deferred(), deferred()];
    let started = 0;
    const results = blockers.map((b, i) =>
      gate.run(async () => {
        started++;
        await b.promise;
        return i;
      }),
    );
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toBe(2);
    expect(gate.pending()).toBe(3);
    blockers[0]!.resolve();
    expect(await results[0]).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(started).toBe(3);
    blockers[1]!.resolve();
    blockers[2]!.resolve();
    expect(await Promise.all(results)).toEqual([0, 1, 2]);
    expect(gate.pending()).toBe(0);
  });

  it('refuses a task without running it when the queue is full', async () => {
    const gate = createVerifyGate({ concurrency: 1, maxQueued: 1 });
    const block = deferred();
    const first = gate.run(() => block.promise);
    const second = gate.run(async () => 'queued');
    let ran = false;
    const third = gate.run(async () => {
      ran = true;
    });
    expect(third).toBeNull();
    block.resolve();
    await first;
    expect(await second).toBe('queued');
    expect(ran).toBe(false);
    expect(gate.run(async () => 'free again')).not.toBeNull();
  });

  it('frees the slot of a task that fails', async () => {
    const gate = createVerifyGate({ concurrency: 1, maxQueued: 0 });
    await expect(gate.run(() => Promise.reject(new Error('scrypt failed')))).rejects.toThrow('scrypt failed');
    expect(gate.pending()).toBe(0);
    expect(await gate.run(async () => 7)).toBe(7);
  });
});
