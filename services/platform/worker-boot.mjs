// Worker threads do not inherit tsx's loader from the parent; this plain-JS entry registers it
// and then imports the TypeScript module named in workerData.entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
