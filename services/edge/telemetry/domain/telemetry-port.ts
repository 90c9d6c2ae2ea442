import { z } from 'zod';

/** One stored telemetry message: the box's timestamp and the backend's receive time. */
export interface TelemetryPoint {
  deviceId: number;
  ts: number;
  receivedAt: number;
  seq: number;
  metrics: Readonly<Record<string, number>>;
}

export const TelemetryQuery = z.object({
  deviceId: z.number().int(),
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

/**
 * The telemetry store. SQLite now, InfluxDB later behind the same interface.
 * `append` is synchronous and bounded: it may write a batch in place (back-pressure on
 * the ingest path) but never queues without limit.
 */
export interface TelemetryStore extends TelemetryReader {
  append(point: TelemetryPoint): void;
  flush(): void;
  /** Deletes raw points received before `cutoff`; answers how many went. */
  pruneBefore(cutoff: number): Promise<number>;
  close(): void;
}
