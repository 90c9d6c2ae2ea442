import type { EventPayload, FaultPayload } from '../../../contract/payloads.ts';

export interface StoredFault extends FaultPayload {
  deviceId: number;
  receivedAt: number;
}

export interface StoredEvent extends EventPayload {
  deviceId: number;
  receivedAt: number;
}

export interface ListRange {
  from?: number;
  to?: number;
  /** Keyset paging: only rows sorting after this (box time, row id) in newest-first order. */
  before?: readonly [ts: number, rowId: number];
  limit: number;
}

/** A stored row as listed: `rowId` is its place in the store, the tie-break of the newest-first order. */
export type Listed<T> = T & { rowId: number };

/** `rowId` identifies the stored row for the diagnostics step; absent for a redelivery. */
export type SaveResult = { stored: true; rowId: number } | { stored: false };

/** Durable intake of faults and evidence events: de-duplicated by the box's message id. */
export interface IntakeStore {
  /** Commits before answering; `stored: false` means the id was already stored (a redelivery). */
  saveFault(fault: StoredFault): Promise<SaveResult>;
  saveEvent(event: StoredEvent): Promise<SaveResult>;
  /** Newest first by the box's time, then by row id. */
  listFaults(deviceId: number, range: ListRange): Promise<Listed<StoredFault>[]>;
  listEvents(deviceId: number, range: ListRange): Promise<Listed<StoredEvent>[]>;
}
