import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The file in a node's DATA_DIR that names the node's id in the cluster, for its next run. */
export const NODE_ID_FILE = 'node-id';

// host-pid-random (cluster-link.ts); anything else in the file is not ours and is ignored.
const NodeId = z.string().regex(/^[\w.-]{1,300}$/);

/**
 * Records this run's node id in the data directory and answers the previous run's, if any. The
 * data directory is held by one process at a time (data-dir-lock.ts), so the run that wrote the
 * previous id is over: what it held can be released at once, without waiting for its heartbeat
 * to lapse.
 */
export function replaceNodeId(dataDir: string, nodeId: string): string | null {
  const file = path.join(dataDir, NODE_ID_FILE);
  let previous: string | null = null;
  try {
    const parsed = NodeId.safeParse(readFileSync(file, 'utf8').trim());
    if (parsed.success && parsed.data !== nodeId) previous = parsed.data;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Written whole or not at all: a crash half-way must not leave a truncated id.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${nodeId}\n`, { mode: 0o600 });
  renameSync(temp, file);
  return previous;
}
