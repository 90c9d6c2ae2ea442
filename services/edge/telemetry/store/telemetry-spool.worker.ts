import { parentPort, workerData } from 'node:worker_threads';
import { FIELDS_PER_ROW, type HandOverWorkerData, type WriterError } from './batch-hand-over.ts';
import { type SpoolEngineConfig, type SpoolMessage, startSpoolEngine } from './spool-engine.ts';

// The InfluxDB store's spool on its own thread: appends hand-over batches to the spool file and
// forwards them to InfluxDB, so neither the disk nor the HTTP requests cost the broker's thread.
const { pending, ...config } = workerData as SpoolEngineConfig & HandOverWorkerData;
const engine = startSpoolEngine(config, (m) => parentPort!.postMessage(m));

parentPort!.on('message', (flat: unknown[] | { type: 'close' }) => {
  if (!Array.isArray(flat)) {
    void engine.close().finally(() => {
      parentPort!.close();
      // A keep-alive socket to InfluxDB must not keep this thread, and so the shutdown, waiting.
      setTimeout(() => process.exit(0), 1000).unref();
    });
    return;
  }
  try {
    engine.append(flat);
  } catch (err) {
    parentPort!.postMessage({ type: 'error', error: String(err), lost: flat.length / FIELDS_PER_ROW } satisfies WriterError);
  } finally {
    Atomics.sub(pending, 0, 1);
    Atomics.notify(pending, 0);
    // The broker's thread may be holding boxes until this thread catches up.
    parentPort!.postMessage({ type: 'written' } satisfies SpoolMessage);
  }
});
