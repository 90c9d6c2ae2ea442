import { openSqlite } from '../../db/index.ts';
import type { AdminIo } from '../run-admin.ts';

/** An AdminIo that records what a command printed, with `stdin` as standard input. */
export function recordingIo(env: Record<string, string>, opts: { now?: number; stdin?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: AdminIo = {
    env,
    clock: () => opts.now ?? Date.now(),
    operator: 'os:ops-tester',
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readStdin: async () => opts.stdin ?? '',
  };
  return { out, err, io };
}

/** The audit lines an admin command wrote, newest last. */
export async function adminAuditLines(dataDir: string, action: string) {
  const { db, close } = await openSqlite(dataDir);
  try {
    const rows = await db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
    return rows.map((r) => ({ ...r, data: r.data === null ? null : (JSON.parse(r.data) as Record<string, unknown>) }));
  } finally {
    await close();
  }
}

/** Reads from a stopped server's database. */
export async function withDb<T>(dataDir: string, f: (db: Awaited<ReturnType<typeof openSqlite>>['db']) => Promise<T>): Promise<T> {
  const { db, close } = await openSqlite(dataDir);
  try {
    return await f(db);
  } finally {
    await close();
  }
}
