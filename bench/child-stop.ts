import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** How long a backend gets to stop after SIGTERM before it is killed. */
const STOP_GRACE_MS = 15_000;

/**
 * Stops a backend the benchmark started (SIGTERM, SIGKILL after STOP_GRACE_MS) and removes its
 * data directory. `exited` was taken when it was spawned, so an exit already past is not missed.
 */
export async function stopAndRemove(child: ChildProcess, exited: Promise<void>, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const grace = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(grace);
  }
  rmSync(dataDir, { recursive: true, force: true });
}
