import { sql } from 'kysely';
import type { Tx } from '../triage-ports.ts';

/*
 * On PostgreSQL several nodes triage at once, each in its own transaction under READ COMMITTED.
 * Two of them deciding different faults of one box would each read "no open case" and open one
 * each; two deciding the fifth and sixth box of one model and firmware would each open a fleet
 * incident. What a decision reads and what it opens are keyed by the box and by the fleet key
 * (code, model, firmware): holding a transaction-scoped advisory lock on each makes the second
 * transaction wait for the first's commit, then read what it opened. SQLite runs one write
 * transaction at a time and needs none of this.
 */

/** Advisory-lock namespaces (the first of the two int4 keys), so the keys of different kinds never meet. */
const BOX = 0x7472_0001;
const FLEET = 0x7472_0002;

/** One advisory lock: a namespace and a key within it. */
export type TriageLock = readonly [namespace: number, key: number];

export const boxLock = (deviceId: number): TriageLock => [BOX, deviceId];

/** FNV-1a of the fleet key, as an int4; a collision only makes two fleets wait for each other. */
export function fleetLock(code: string, model: string, firmware: string): TriageLock {
  let h = 0x811c9dc5;
  for (const ch of `${code}\u0000${model}\u0000${firmware}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return [FLEET, h | 0];
}

/**
 * Takes the locks until the transaction ends, each once and in one global order, so two
 * transactions wanting overlapping sets cannot deadlock on them. One statement: the arrays are
 * sorted here and unnest yields them in array order, which is the order they are taken in.
 */
export async function takeTriageLocks(tx: Tx, locks: readonly TriageLock[]): Promise<void> {
  if (locks.length === 0) return;
  const unique = new Map(locks.map((l) => [`${l[0]}:${l[1]}`, l]));
  const sorted = [...unique.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const namespaces = sorted.map((l) => l[0]);
  const keys = sorted.map((l) => l[1]);
  await sql`select count(pg_advisory_xact_lock(l.ns, l.k)) from unnest(${namespaces}::int4[], ${keys}::int4[]) with ordinality as l(ns, k, n)`.execute(
    tx,
  );
}
