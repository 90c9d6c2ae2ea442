import { readdirSync, readFileSync } from 'node:fs';

/** CPU of a process this run did not fork through ipc.ts (the time-series server), from /proc. */

/** The pid of the process whose command line contains `needle`, or null (no /proc, or none). */
export function findPid(needle: string): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) return Number(entry);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return null;
}

/** User + system CPU time of `pid` in µs, NaN once it has gone. */
export function cpuUsOf(pid: number): number {
  try {
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15, the 12th and 13th after the name, in USER_HZ (100/s).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

/**
 * User + system CPU time in µs of `pid` and every process below it: PostgreSQL serves each
 * connection from a child of its postmaster, so the postmaster's own time is a small part.
 * A child that has exited and been waited for left its time in its parent's cutime and cstime,
 * which are counted too: without them the sum would drop when a backend ends.
 */
export function treeCpuUs(pid: number): number {
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return Number.NaN;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // ppid is the second field after the command name's closing parenthesis.
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, parent] of parents) {
      if (!tree.has(child) && tree.has(parent)) {
        tree.add(child);
        grew = true;
      }
    }
  }
  let total = 0;
  for (const p of tree) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      // utime, stime, cutime, cstime: fields 14 to 17, the 12th to 15th after the name, in USER_HZ.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) * 10_000;
    } catch {
      // Gone meanwhile: its time is in its parent's cutime from now on.
    }
  }
  return parents.has(pid) ? total : Number.NaN;
}
