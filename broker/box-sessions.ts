import type { Client } from 'aedes';

/** What the broker knows about an authenticated connection. */
export interface BoxSession {
  deviceId: number;
  serial: string;
  address: string | null;
}

/** Keyed by aedes' client object, so a replaced connection keeps its own session. */
export type BoxSessions = WeakMap<Client, BoxSession>;

export function remoteAddress(client: Client): string | null {
  const conn = client.conn as { remoteAddress?: string };
  return conn.remoteAddress ?? null;
}
