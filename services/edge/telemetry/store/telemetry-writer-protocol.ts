/** What the telemetry store and its writer thread share. */
export interface WriterWorkerData {
  /** The module the worker boot file imports (this writer). */
  entry: string;
  file: string;
  /** pending[0]: batches handed over and not yet written; the store's thread waits on it. */
  pending: Int32Array;
}

/** Batches travel flattened, five fields a row: one array of primitives clones cheaply. */
export const FIELDS_PER_ROW = 5;

export interface WriterError {
  error: string;
  lost: number;
}

/** The one row insert, used by the writer thread and by the store's inline fallback. */
export const INSERT_TELEMETRY_SQL = 'INSERT INTO telemetry (device_id, ts, received_at, seq, metrics) VALUES (?, ?, ?, ?, ?)';
