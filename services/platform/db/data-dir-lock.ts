import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** The file a running server keeps in its data directory; the admin CLI reads it. */
export const DATA_DIR_LOCK_FILE = 'server.lock';

const LockHolder = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  startedAt: z.number().int(),
  /**
   * When the holding process started (epoch ms): tells a process from an earlier one given the
   * same pid. Optional, so that a lock written without it still counts as a lock.
   */
  processStartedAt: z.number().optional(),
});
export type LockHolder = z.infer<typeof LockHolder>;

/**
 * Another live server holds the data directory: a second server would run its own triage,
 * deadlines and caches on the same database, and a restore or an offline admin command would
 * change the database under a server that caches parts of it.
 */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
    doing: string,
  ) {
    super(
      `${dataDir} is in use by a running MT-BOX Care server (pid ${holder.pid} on ${holder.hostname}, started ${new Date(holder.startedAt).toISOString()}); ${doing}`,
    );
    this.name = 'DataDirInUseError';
  }
}

/** This process's start, epoch ms; the same to the millisecond within a process, give or take clock steps. */
const PROCESS_STARTED_AT = Date.now() - performance.now();
// Two readings of one process's start differ by a clock adjustment at most.
const SAME_PROCESS_MS = 2_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The server holding the directory, or null when none does. A lock left by a server that
 * died (kill -9, power cut) names a process that no longer exists, or one that started later
 * with the same pid, and so counts as free. A lock written on another host (a data directory on
 * shared storage, a container with another host name) cannot be checked from here and counts as
 * held.
 */
export function lockHolder(dataDir: string): LockHolder | null {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, DATA_DIR_LOCK_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Cut short by a crash while it was written: no server got past writing it.
    return null;
  }
  const holder = LockHolder.safeParse(parsed);
  if (!holder.success) return null;
  if (holder.data.hostname !== os.hostname()) return holder.data;
  // Our own pid: this process (a server started in it), or an earlier one that had the same pid,
  // as the server in a restarted container always has pid 1.
  const started = holder.data.processStartedAt;
  if (holder.data.pid === process.pid && started !== undefined) return Math.abs(started - PROCESS_STARTED_AT) < SAME_PROCESS_MS ? holder.data : null;
  return alive(holder.data.pid) ? holder.data : null;
}

/**
 * Marks the data directory as held by this process until `release()`. Refuses (DataDirInUseError)
 * when another live process holds it. A lock naming this very process is taken over: an
 * in-process restart, as the tests do, is the only way one process meets its own lock.
 */
export function acquireDataDirLock(dataDir: string, now: number): { release(): void } {
  const file = path.join(dataDir, DATA_DIR_LOCK_FILE);
  const holder = lockHolder(dataDir);
  if (holder && !(holder.pid === process.pid && holder.hostname === os.hostname())) {
    throw new DataDirInUseError(dataDir, holder, 'stop it first, or give this server its own DATA_DIR.');
  }
  const mine: LockHolder = { pid: process.pid, hostname: os.hostname(), startedAt: now, processStartedAt: PROCESS_STARTED_AT };
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(mine));
  } finally {
    closeSync(fd);
  }
  return {
    release() {
      // Only our own lock: a successor may already have taken over a directory we left.
      const current = lockHolder(dataDir);
      if (current && current.pid === mine.pid && current.startedAt === mine.startedAt) rmSync(file, { force: true });
    },
  };
}
