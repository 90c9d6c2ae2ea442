import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestBackend, type TestBackend } from '../../../test/helpers/backend.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { openSqlite } from '../db/index.ts';
import { AdminRefusal, defineCommand, type AdminCommand } from './admin-command.ts';
import { EXIT, runAdmin } from './run-admin.ts';

const NOW = Date.UTC(2026, 10, 30, 9, 0);

/** A command of this test's own: counts users, or refuses when told to. */
const countUsers = defineCommand({
  name: 'count-users',
  summary: 'prints how many accounts there are',
  usage: '[--refuse]',
  options: { refuse: { type: 'boolean' } },
  args: z.object({ refuse: z.boolean().optional(), positionals: z.array(z.string()).max(0) }),
  whileServerRuns: 'refuse',
  dataDir: 'existing',
  async run(ctx, args) {
    if (args.refuse) throw new AdminRefusal('refused as asked');
    const db = await ctx.openDb();
    const n = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    ctx.print(`${n.n} users`);
    return { entityKind: 'system', entityId: 0, action: 'admin.count-users', reason: 'counted', data: { users: Number(n.n) } };
  },
});
const readOnly = defineCommand({ ...countUsers, name: 'peek', whileServerRuns: 'allow' });
const COMMANDS = [countUsers, readOnly] as readonly AdminCommand[];

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { env, clock: () => NOW, operator: 'os:ops-tester', out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

async function auditLines(dataDir: string) {
  const { db, close } = await openSqlite(dataDir);
  try {
    return await db.selectFrom('audit_log').selectAll().where('entity_kind', '=', 'system').execute();
  } finally {
    await close();
  }
}

describe('the admin CLI runner', () => {
  let backend: TestBackend | null = null;
  const dirs: Array<{ remove(): void }> = [];
  afterEach(async () => {
    await backend?.stop();
    backend = null;
    for (const d of dirs.splice(0)) d.remove();
  });

  async function stoppedServerDir(): Promise<string> {
    backend = await startTestBackend();
    await backend.app.stop();
    return backend.dataDir;
  }

  it('runs a command on a stopped server’s data and writes its audit line naming the OS user', async () => {
    const dataDir = await stoppedServerDir();
    const t = io({ DATA_DIR: dataDir });
    expect(await runAdmin(['count-users'], COMMANDS, t.io)).toBe(EXIT.ok);
    expect(t.out).toEqual(['1 users']);
    const lines = await auditLines(dataDir);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ actor: 'os:ops-tester', action: 'admin.count-users', at: NOW, reason: 'counted' });
    expect(JSON.parse(lines[0]?.data ?? '{}')).toMatchObject({ users: 1, via: 'admin-cli' });
  });

  it('takes --data-dir over DATA_DIR', async () => {
    const dataDir = await stoppedServerDir();
    const t = io({ DATA_DIR: path.join(dataDir, 'not-here') });
    expect(await runAdmin(['count-users', '--data-dir', dataDir], COMMANDS, t.io)).toBe(EXIT.ok);
  });

  it('refuses a directory without a database, and creates nothing there', async () => {
    const empty = tempDir();
    dirs.push(empty);
    const t = io({ DATA_DIR: empty.path });
    expect(await runAdmin(['count-users'], COMMANDS, t.io)).toBe(EXIT.refused);
    expect(t.err.join('\n')).toMatch(/holds no MT-BOX Care database/);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(empty.path)).toEqual([]);
  });

  it('refuses a database that is not ours', async () => {
    const dir = tempDir();
    dirs.push(dir);
    writeFileSync(path.join(dir.path, 'mtbox-care.sqlite'), 'these are somebody else’s notes');
    const t = io({ DATA_DIR: dir.path });
    expect(await runAdmin(['count-users'], COMMANDS, t.io)).toBe(EXIT.refused);
    expect(t.err.join('\n')).toMatch(/not an MT-BOX Care database/);
  });

  it('refuses a command that needs a stopped server while one runs, and lets a safe one run', async () => {
    backend = await startTestBackend();
    const t = io({ DATA_DIR: backend.dataDir });
    expect(await runAdmin(['count-users'], COMMANDS, t.io)).toBe(EXIT.refused);
    expect(t.err.join('\n')).toMatch(/in use by a running MT-BOX Care server \(pid \d+.*stop the server before "count-users"; nothing was done/);
    expect(await runAdmin(['peek'], COMMANDS, t.io)).toBe(EXIT.ok);
    await backend.app.stop();
    // The lock went with the server.
    expect(await runAdmin(['count-users'], COMMANDS, t.io)).toBe(EXIT.ok);
  });

  it('answers usage errors with exit 2 and the synopsis, and refusals with exit 1 and no audit line', async () => {
    const dataDir = await stoppedServerDir();
    const t = io({ DATA_DIR: dataDir });
    expect(await runAdmin(['count-users', '--colour'], COMMANDS, t.io)).toBe(EXIT.usage);
    expect(t.err.at(-1)).toMatch(/usage: npm run admin -- count-users \[--refuse\]/);
    expect(await runAdmin(['count-users', 'extra'], COMMANDS, t.io)).toBe(EXIT.usage);
    expect(await runAdmin(['nonsense'], COMMANDS, t.io)).toBe(EXIT.usage);
    expect(t.err.at(-1)).toMatch(/unknown command "nonsense"[\s\S]*count-users\s+prints how many accounts/);
    expect(await runAdmin(['count-users', '--refuse'], COMMANDS, t.io)).toBe(EXIT.refused);
    expect(t.err.at(-1)).toBe('count-users: refused as asked');
    expect(await auditLines(dataDir)).toEqual([]);
  });

  it('lists the commands for help', async () => {
    const t = io({});
    expect(await runAdmin(['help'], COMMANDS, t.io)).toBe(EXIT.ok);
    expect(t.out.join('\n')).toMatch(/count-users\s+prints how many accounts there are\n\s+peek/);
  });
});
