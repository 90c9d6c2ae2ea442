import type { DeviceCredentials } from '../domain/registry-port.ts';

export interface CredentialsCache {
  /** The cached row, or a read through `load`, cached unless a write to the box raced with it. */
  get(serial: string, load: (serial: string) => Promise<DeviceCredentials | null>): Promise<DeviceCredentials | null>;
  /** Called before and after every write that may change what CONNECT decides for the box. */
  forget(serial: string): void;
}

/**
 * Every CONNECT reads its box's credentials; in a reconnect storm of 10,000 boxes those reads
 * queue on the single SQLite connection behind telemetry and fault writes. Rows are kept in
 * least-recently-used order up to `maxEntries`; unknown serials are not cached, so a guesser
 * cannot fill the cache.
 */
export function createCredentialsCache(maxEntries: number): CredentialsCache {
  const rows = new Map<string, DeviceCredentials>();
  // Bumped by every write: a read that was in flight across one may hold the old row.
  let writes = 0;
  return {
    async get(serial, load) {
      const cached = rows.get(serial);
      if (cached) {
        rows.delete(serial);
        rows.set(serial, cached);
        return cached;
      }
      const before = writes;
      const row = await load(serial);
      if (row && writes === before) {
        if (rows.size >= maxEntries) rows.delete(rows.keys().next().value as string);
        rows.set(serial, row);
      }
      return row;
    },
    forget(serial) {
      writes++;
      rows.delete(serial);
    },
  };
}
