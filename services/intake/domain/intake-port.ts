import type { EventPayload, FaultPayload } from '../../contract/payloads.ts';

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

/** Durable intake of faults and evidence events: de-duplicated by the box's message id. */
export interface IntakeStore {
  /** Commits before answering; `stored: false` means the id was already stored (a redelivery). */
  saveFault(fault: StoredFault): Promise<{ stored: boolean }>;
  saveEvent(event: StoredEvent): Promise<{ stored: boolean }>;
  listFaults(deviceId: number, range: ListRange): Promise<StoredFault[]>;
  listEvents(deviceId: number, range: ListRange): Promise<StoredEvent[]>;
}
