import { describe, expect, it } from 'vitest';
import type { DeviceCredentials } from '../domain/registry-port.ts';
import { createCredentialsCache, createUncachedCredentials } from './credentials-cache.ts';

const row = (id: number, secretHash = 'h1'): DeviceCredentials => ({
  id,
  serial: `MTB26110${String(id).padStart(5, '0')}`,
  enabled: true,
  secretHash,
  requireCertificate: false,
});

/** A source over an in-memory table that counts its reads; `gate` holds single reads until opened. */
function source(table: Map<string, DeviceCredentials>) {
  const reads = { one: 0, all: 0 };
  let hold: Promise<void> = Promise.resolve();
  let open: () => void = () => {};
  let started: () => void = () => {};
  return {
    reads,
    /** Holds single reads until openReads(); resolves once one has read the table. */
    holdReads() {
      hold = new Promise<void>((r) => (open = r));
      return new Promise<void>((r) => (started = r));
    },
    openReads: () => open(),
    one: async (serial: string) => {
      reads.one++;
      started();
      const answer = table.get(serial) ?? null;
      await hold;
      hold = Promise.resolve();
      return answer;
    },
    all: async (limit: number) => {
      reads.all++;
      return [...table.values()].slice(0, limit);
    },
  };
}

describe('the credentials cache', () => {
  it('loads the fleet in one read at the first CONNECT and answers later ones from memory', async () => {
    const table = new Map([row(1), row(2)].map((r) => [r.serial, r]));
    const src = source(table);
    const cache = createCredentialsCache(src, 100);
    expect(await cache.get(row(1).serial)).toEqual(row(1));
    expect(await cache.get(row(2).serial)).toEqual(row(2));
    expect(src.reads).toEqual({ one: 0, all: 1 });
    expect(cache.serialOf(2)).toBe(row(2).serial);
  });

  it('reads a box again after a write to it', async () => {
    const table = new Map([row(1)].map((r) => [r.serial, r]));
    const src = source(table);
    const cache = createCredentialsCache(src, 100);
    await cache.get(row(1).serial);
    table.set(row(1).serial, row(1, 'h2'));
    cache.forget(row(1).serial);
    expect((await cache.get(row(1).serial))?.secretHash).toBe('h2');
    expect(cache.serialOf(1)).toBe(row(1).serial);
  });

  it('does not keep a row read while a write to the box was under way', async () => {
    const table = new Map<string, DeviceCredentials>();
    const src = source(table);
    const cache = createCredentialsCache(src, 100);
    await cache.get('MTB2611099999');
    table.set(row(1).serial, row(1, 'old'));
    const readStarted = src.holdReads();
    const racing = cache.get(row(1).serial);
    await readStarted;
    // The write lands while the read is in flight.
    table.set(row(1).serial, row(1, 'new'));
    cache.forget(row(1).serial);
    src.openReads();
    expect((await racing)?.secretHash).toBe('old');
    expect((await cache.get(row(1).serial))?.secretHash).toBe('new');
  });

  it('keeps at most `maxEntries` rows, dropping the least recently used, and no unknown serials', async () => {
    const table = new Map([row(1), row(2), row(3)].map((r) => [r.serial, r]));
    const src = source(table);
    const cache = createCredentialsCache(src, 2);
    await cache.get(row(1).serial);
    await cache.get(row(1).serial);
    await cache.get(row(3).serial);
    // Warm-up kept 1 and 2; 3 was read alone and pushed out 2, the least recently used.
    expect(cache.serialOf(2)).toBeUndefined();
    expect(cache.serialOf(1)).toBe(row(1).serial);
    expect(await cache.get('MTB2611099999')).toBeNull();
    expect(await cache.get('MTB2611099999')).toBeNull();
    expect(src.reads.one).toBe(3);
  });
});

describe('the uncached credentials of nodes sharing a database', () => {
  it('reads the box at every CONNECT, so a write through another node counts at once, and remembers its serial by id', async () => {
    const table = new Map([row(1)].map((r) => [r.serial, r]));
    const src = source(table);
    const credentials = createUncachedCredentials(src);
    expect(credentials.serialOf(1)).toBeUndefined();
    expect((await credentials.get(row(1).serial))?.secretHash).toBe('h1');
    // Written by another node: this one is not told.
    table.set(row(1).serial, row(1, 'h2'));
    expect((await credentials.get(row(1).serial))?.secretHash).toBe('h2');
    expect(src.reads).toEqual({ one: 2, all: 0 });
    expect(credentials.serialOf(1)).toBe(row(1).serial);
  });
});
