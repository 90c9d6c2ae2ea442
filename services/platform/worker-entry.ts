/**
 * True when this process runs the build's JavaScript (npm start, from dist/), false when it runs
 * the TypeScript sources (npm run dev, vitest). The whole process is one or the other.
 */
export const RUNS_COMPILED = import.meta.url.endsWith('.js');

const WORKER_BOOT = new URL('./worker-boot.mjs', import.meta.url);

export interface WorkerEntry {
  /** What to pass to `new Worker(…)`. */
  url: URL;
  /** The module worker-boot.mjs imports, passed as `workerData.entry`. */
  entry: string;
}

/**
 * How to start a worker thread on `source`, a module named by its `.ts` file: compiled, its
 * `.js` sibling is the worker itself; from sources, worker-boot.mjs starts it, because worker
 * threads do not inherit tsx's loader from the parent. Compiled code so registers no loader.
 */
export function workerEntry(source: URL): WorkerEntry {
  if (!RUNS_COMPILED) return { url: WORKER_BOOT, entry: source.href };
  const compiled = new URL(source.href.replace(/\.ts$/, '.js'));
  return { url: compiled, entry: compiled.href };
}
