import type { DeviceCredentials } from '../domain/registry-port.ts';

export interface CredentialsCache {
  /** The cached row, or a read through `load`, cached unless a write to the box raced with it. */
  get(serial: string): Promise<DeviceCredentials | null>;
  /** A box's serial by its id when its row is cached, else undefined. */
  serialOf(deviceId: number): string | undefined;
  /** Called before and after every write that may change what CONNECT decides for the box. */
  forget(serial: string): void;
}

export interface CredentialsSource {
  one(serial: string): Promise<DeviceCredentials | null>;
  /** Up to `limit` rows, read once when the first CONNECT arrives. */
  all(limit: number): Promise<DeviceCredentials[]>;
}

/**
 * Every CONNECT reads its box's credentials; in a connect storm of 10,000 boxes those reads
 * queue on the single SQLite connection behind telemetry and fault writes. The first read
 * loads the fleet in one query; rows are then kept in least-recently-used order up to
 * `maxEntries`. Unknown serials are not cached, so a guesser cannot fill the cache.
 */
export function createCredentialsCache(source: CredentialsSource, maxEntries: number): CredentialsCache {
  const rows = new Map<string, DeviceCredentials>();
  const serials = new Map<number, string>();
  // Bumped by every write: a read that was in flight across one may hold an old row.
  let writes = 0;
  let warmed: Promise<void> | null = null;

  const keep = (row: DeviceCredentials) => {
    if (rows.size >= maxEntries) {
      const oldest = rows.keys().next().value as string;
      serials.delete((rows.get(oldest) as DeviceCredentials).id);
      rows.delete(oldest);
    }
    rows.set(row.serial, row);
    serials.set(row.id, row.serial);
  };
  const warm = async () => {
    const before = writes;
    const all = await source.all(maxEntries);
    if (writes !== before) return;
    for (const row of all) if (!rows.has(row.serial)) keep(row);
  };

  return {
    async get(serial) {
      warmed ??= warm().catch(() => undefined);
      await warmed;
      const cached = rows.get(serial);
      if (cached) {
        rows.delete(serial);
        rows.set(serial, cached);
        return cached;
      }
      const before = writes;
      const row = await source.one(serial);
      if (row && writes === before) keep(row);
      return row;
    },
    serialOf: (deviceId) => serials.get(deviceId),
    forget(serial) {
      writes++;
      const row = rows.get(serial);
      if (row) serials.delete(row.id);
      rows.delete(serial);
    },
  };
}

/**
 * Credentials read at every CONNECT, for nodes sharing a PostgreSQL database: a box disabled or
 * given a new secret through one node must be refused by every other at once, and a node's
 * cache hears only its own writes. PostgreSQL serves the reads concurrently from its pool. A
 * box's serial never changes, so serials by id are still remembered.
 */
export function createUncachedCredentials(source: CredentialsSource): CredentialsCache {
  const serials = new Map<number, string>();
  return {
    async get(serial) {
      const row = await source.one(serial);
      if (row) serials.set(row.id, row.serial);
      return row;
    },
    serialOf: (deviceId) => serials.get(deviceId),
    forget() {},
  };
}
