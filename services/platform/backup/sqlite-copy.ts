import { Worker } from 'node:worker_threads';
import { workerEntry } from '../worker-entry.ts';

/** What the copy thread does: take a snapshot of `source` into `target`, or inspect a file. */
export type CopyJob = { kind: 'snapshot'; source: string; target: string } | { kind: 'inspect'; file: string };

/** What a backup's database file is: checked, hashed and measured in one read. */
export interface FileInspection {
  /** `ok`, or what `PRAGMA integrity_check` (or opening the file) answered. */
  integrity: string;
  lastMigration: string | null;
  sizeBytes: number;
  sha256: string;
}

export type CopyJobResult = { ok: true; inspection: FileInspection | null } | { ok: false; error: string };

/**
 * Runs one job on a thread of its own (sqlite-copy.worker.ts) and answers its result. An abort
 * (the server stopping) ends the thread at once; whatever it half wrote is the caller's to remove.
 */
export function runCopyJob(job: CopyJob, signal?: AbortSignal): Promise<CopyJobResult> {
  const start = workerEntry(new URL('./sqlite-copy.worker.ts', import.meta.url));
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ ok: false, error: 'stopped before it began' });
    const worker = new Worker(start.url, { workerData: { entry: start.entry, job } });
    let answer: CopyJobResult | null = null;
    const onAbort = () => {
      answer ??= { ok: false, error: 'stopped: the server is shutting down' };
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: CopyJobResult) => {
      answer ??= m;
    });
    worker.on('error', (err) => {
      answer ??= { ok: false, error: err.message };
    });
    worker.on('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(answer ?? { ok: false, error: `the copy thread exited (${code}) without an answer` });
    });
  });
}

/** Inspects a database file on the copy thread; a job that fails is reported as its integrity. */
export async function inspectDatabaseFile(file: string, signal?: AbortSignal): Promise<FileInspection | { error: string }> {
  const r = await runCopyJob({ kind: 'inspect', file }, signal);
  if (!r.ok) return { error: r.error };
  if (!r.inspection) return { error: 'no inspection came back' };
  return r.inspection;
}
