import type { RealtimeIo, RealtimeSocket } from './socket-types.ts';

/**
 * Quiet sockets send no events, so nothing would re-check them: every `intervalMs` all
 * connected sockets are re-checked. A sweep still running when the next is due is not
 * doubled. Answers a function that stops the sweep.
 */
export function startSessionSweep(io: RealtimeIo, recheckAll: (sockets: Iterable<RealtimeSocket>) => Promise<void>, intervalMs: number): () => void {
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void recheckAll(io.of('/').sockets.values()).finally(() => {
      sweeping = false;
    });
  }, intervalMs);
  // The sweep alone must not keep the process alive.
  sweep.unref();
  return () => clearInterval(sweep);
}
