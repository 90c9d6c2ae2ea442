import { z } from 'zod';

/** One stored telemetry message: the box's timestamp and the backend's receive time. */
export interface TelemetryPoint {
  deviceId: number;
  /** The box's serial: InfluxDB keys its series by it, SQLite by deviceId. */
  serial: string;
  ts: number;
  receivedAt: number;
  seq: number;
  metrics: Readonly<Record<string, number>>;
}

export const TelemetryQuery = z.object({
  deviceId: z.number().int(),
  serial: z.string(),
  metric: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  /** Bucket width in ms; absent means raw points. */
  stepMs: z.number().int().positive().optional(),
  limit: z.number().int().positive().max(100_000),
});
export type TelemetryQuery = z.infer<typeof TelemetryQuery>;

/** A raw point (count 1) or a bucket starting at `ts` with its average, min and max. */
export interface TelemetrySample {
  ts: number;
  value: number;
  min: number;
  max: number;
  count: number;
}

export interface TelemetryReader {
  query(q: TelemetryQuery): Promise<TelemetrySample[]>;
}

/** What /api/health shows of the store: for InfluxDB, its spool and forwarder. */
export type TelemetryStoreHealth = { kind: 'sqlite' } | { kind: 'postgres' } | ({ kind: 'influxdb' } & Record<string, unknown>);

/**
 * The telemetry store: SQLite (embedded) or InfluxDB behind a spool, chosen by TELEMETRY_STORE.
 * `append` is synchronous and bounded: it may write a batch in place (back-pressure on the
 * ingest path) but never queues without limit.
 */
export interface TelemetryStore extends TelemetryReader {
  /**
   * Takes the point. False means the store is full (the InfluxDB spool while the server is
   * away): the point is kept, but the caller must take no more until `whenRoom` calls back.
   */
  append(point: TelemetryPoint): boolean;
  /** Calls `ready` once the store takes points again (at once if it does now). */
  whenRoom(ready: () => void): void;
  health(): TelemetryStoreHealth;
  /** Points taken and not yet written by the SQLite writer thread; absent for stores without one. */
  queuedPoints?(): number;
  /** Makes every appended point durable (in SQLite, or in the spool) before it returns. */
  flush(): void;
  /** Deletes raw points received before `cutoff`; answers how many went. */
  pruneBefore(cutoff: number): Promise<number>;
  /** Flushes and stops the store's threads; resolves once they are done. */
  close(): Promise<void>;
}
