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
  limit: number;
}

/** `rowId` identifies the stored row for the diagnostics step; absent for a redelivery. */
export type SaveResult = { stored: true; rowId: number } | { stored: false };

/** Durable intake of faults and evidence events: de-duplicated by the box's message id. */
export interface IntakeStore {
  /** Commits before answering; `stored: false` means the id was already stored (a redelivery). */
  saveFault(fault: StoredFault): Promise<SaveResult>;
  saveEvent(event: StoredEvent): Promise<SaveResult>;
  listFaults(deviceId: number, range: ListRange): Promise<StoredFault[]>;
  listEvents(deviceId: number, range: ListRange): Promise<StoredEvent[]>;
}
