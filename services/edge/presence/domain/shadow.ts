import type { RejectionReason } from '../../../contract/rejection-reasons.ts';

/** The device shadow: presence, the box's reported identity and its latest metric values. */
export interface Shadow {
  deviceId: number;
  online: boolean;
  lastSeen: number | null;
  connectedAt: number | null;
  disconnectedAt: number | null;
  address: string | null;
  reportedFw: string | null;
  reportedModel: string | null;
  metrics: Record<string, number>;
  metricsTs: number | null;
  metricsReceivedAt: number | null;
  rejected: Partial<Record<RejectionReason, number>>;
}

export function emptyShadow(deviceId: number): Shadow {
  return {
    deviceId,
    online: false,
    lastSeen: null,
    connectedAt: null,
    disconnectedAt: null,
    address: null,
    reportedFw: null,
    reportedModel: null,
    metrics: {},
    metricsTs: null,
    metricsReceivedAt: null,
    rejected: {},
  };
}

export interface ShadowReader {
  get(deviceId: number): Shadow | null;
  /** Device ids currently connected. */
  onlineIds(): ReadonlySet<number>;
}

/** Where shadows are persisted so a restart shows the last known values. */
export interface ShadowStore {
  loadAll(): Promise<Shadow[]>;
  /**
   * Writes them all, or answers false without writing when it cannot now (they stay for the next
   * flush). SQLite writes at once; PostgreSQL answers a promise, having read the shadows before
   * it returns (they may change while it writes: the changed ones are dirty again).
   */
  saveMany(shadows: readonly Shadow[]): boolean | Promise<boolean>;
}
