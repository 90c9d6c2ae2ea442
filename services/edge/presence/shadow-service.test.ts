import { describe, expect, it } from 'vitest';
import type { Shadow } from './domain/shadow.ts';
import { createShadowService } from './shadow-service.ts';

// An in-memory stand-in for the store port (its SQLite adapter is tested against a real
// database in store/); this test is about what the service does when a write must wait.
describe('shadow flush', () => {
  it('keeps the shadows a store could not write now and writes them at the next flush', async () => {
    const written: Shadow[][] = [];
    let busy = true;
    const store = {
      loadAll: async () => [],
      saveMany: (batch: readonly Shadow[]) => {
        if (busy) return false;
        written.push([...batch]);
        return true;
      },
    };
    const errors: unknown[] = [];
    const shadows = await createShadowService(store, { flushIntervalMs: 60_000, onFlushError: (err) => errors.push(err) });
    shadows.connected(7, '10.0.0.7', 1_000);
    shadows.flush();
    expect(written).toEqual([]);
    busy = false;
    shadows.flush();
    expect(written).toHaveLength(1);
    expect(written[0]!.map((s) => [s.deviceId, s.online, s.address])).toEqual([[7, true, '10.0.0.7']]);
    // Nothing dirty is left: a third flush writes nothing, and waiting was not an error.
    shadows.flush();
    expect(written).toHaveLength(1);
    expect(errors).toEqual([]);
    await shadows.close();
  });
});
