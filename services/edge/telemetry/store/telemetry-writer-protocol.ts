import type { HandOverWorkerData } from './batch-hand-over.ts';

/** What the SQLite telemetry store gives its writer thread. */
export interface WriterWorkerData extends HandOverWorkerData {
  file: string;
}

/** The one row insert, used by the writer thread and by the store's inline fallback. */
export const INSERT_TELEMETRY_SQL = 'INSERT INTO telemetry (device_id, ts, received_at, seq, metrics) VALUES (?, ?, ?, ?, ?)';

/** The writer thread's acknowledgement of one batch written: its size and how long the transaction took. */
export interface WriterWritten {
  type: 'written';
  points: number;
  seconds: number;
}
