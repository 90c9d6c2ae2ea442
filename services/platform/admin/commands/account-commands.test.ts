import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestBackend, type TestBackend } from '../../../../test/helpers/backend.ts';
import { ADMIN_COMMANDS } from '../admin-commands.ts';
import { EXIT, runAdmin } from '../run-admin.ts';
import { adminAuditLines, recordingIo, withDb } from './test-kit.ts';

const NEW_PASSWORD = 'quartz-lantern-ferry-81';

async function login(backend: TestBackend, username: string, password: string): Promise<{ status: number; token?: string }> {
  const res = await fetch(`${backend.api}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { token?: string };
  return { status: res.status, ...(body.token && { token: body.token }) };
}

async function me(backend: TestBackend, token: string): Promise<number> {
  return (await fetch(`${backend.api}/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status;
}

const admin = (argv: string[], dataDir: string, opts: { stdin?: string } = {}) => {
  const t = recordingIo({ DATA_DIR: dataDir }, opts);
  return runAdmin(argv, ADMIN_COMMANDS, t.io).then((code) => ({ code, ...t }));
};

describe('the admin CLI’s account commands', () => {
  let backend: TestBackend | null = null;
  afterEach(async () => {
    await backend?.stop();
    backend = null;
  });

  /** A server with a session of `admin` open, then stopped. */
  async function stoppedWithSession(): Promise<{ b: TestBackend; token: string }> {
    const b = await startTestBackend();
    backend = b;
    const { token } = await login(b, 'admin', ADMIN_PASSWORD);
    await b.app.stop();
    return { b, token: token ?? '' };
  }

  it('lists the accounts, also next to a running server, with its audit line', async () => {
    const b = await startTestBackend();
    backend = b;
    const created = await fetch(`${b.api}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await b.adminHeaders()) },
      body: JSON.stringify({ username: 'li.wei', password: NEW_PASSWORD, role: 'engineer' }),
    });
    expect(created.status).toBe(201);
    const r = await admin(['users'], b.dataDir);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out[1]).toMatch(/^admin\s+admin\s+enabled\s+-\s+\d{4}-\d\d-\d\dT/);
    expect(r.out[2]).toMatch(/^li\.wei\s+engineer\s+enabled\s+-\s+/);
    expect(r.out.at(-1)).toBe('2 account(s)');
    await b.app.stop();
    const [line] = await adminAuditLines(b.dataDir, 'admin.users');
    expect(line).toMatchObject({ entity_kind: 'system', entity_id: 0, actor: 'os:ops-tester' });
  });

  it('resets a forgotten password from standard input: the new one signs in, the old one and its sessions do not', async () => {
    const { b, token } = await stoppedWithSession();
    const r = await admin(['reset-password', '--username', 'admin', '--password-stdin'], b.dataDir, { stdin: `${NEW_PASSWORD}\n` });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out.join('\n')).toMatch(/password of admin reset; 1 session\(s\) ended/);
    expect(r.out.join('\n')).not.toContain(NEW_PASSWORD);
    const [line] = await adminAuditLines(b.dataDir, 'admin.reset-password');
    expect(line).toMatchObject({ entity_kind: 'user', entity_id: 1, actor: 'os:ops-tester' });
    expect(line?.data).toMatchObject({ username: 'admin', sessionsEnded: 1, passwordGenerated: false, via: 'admin-cli' });
    expect(JSON.stringify(line)).not.toContain(NEW_PASSWORD);

    await b.restart();
    expect((await login(b, 'admin', NEW_PASSWORD)).status).toBe(200);
    expect((await login(b, 'admin', ADMIN_PASSWORD)).status).toBe(401);
    expect(await me(b, token)).toBe(401);
  });

  it('refuses a weak password, an unknown account and a live server, changing nothing', async () => {
    const b = await startTestBackend();
    backend = b;
    const live = await admin(['reset-password', '--username', 'admin', '--password-stdin'], b.dataDir, { stdin: NEW_PASSWORD });
    expect(live.code).toBe(EXIT.refused);
    expect(live.err.join('\n')).toMatch(/running MT-BOX Care server.*nothing was done/);
    await b.app.stop();
    const hashBefore = await withDb(b.dataDir, (db) => db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow());

    const weak = await admin(['reset-password', '--username', 'admin', '--password-stdin'], b.dataDir, { stdin: 'admin-password\n' });
    expect(weak.code).toBe(EXIT.refused);
    expect(weak.err.join('\n')).toMatch(/the password too easy to guess.*nothing was done/);
    const unknown = await admin(['reset-password', '--username', 'nobody'], b.dataDir);
    expect(unknown.code).toBe(EXIT.refused);
    expect(unknown.err.join('\n')).toMatch(/no account is named "nobody"; nothing was done/);
    const empty = await admin(['create-admin', '--username', 'ops.lead', '--password-stdin'], b.dataDir, { stdin: '' });
    expect(empty.code).toBe(EXIT.refused);

    expect(await withDb(b.dataDir, (db) => db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow())).toEqual(hashBefore);
    expect(await withDb(b.dataDir, (db) => db.selectFrom('users').select('username').execute())).toEqual([{ username: 'admin' }]);
    expect(await adminAuditLines(b.dataDir, 'admin.reset-password')).toEqual([]);
  });

  it('creates an admin next to a running server, which signs in at once', async () => {
    const b = await startTestBackend();
    backend = b;
    const r = await admin(['create-admin', '--username', 'night.shift', '--password-stdin'], b.dataDir, { stdin: `${NEW_PASSWORD}\n` });
    expect(r.code).toBe(EXIT.ok);
    expect((await login(b, 'night.shift', NEW_PASSWORD)).status).toBe(200);
    await b.app.stop();
    expect(await adminAuditLines(b.dataDir, 'admin.create-admin')).toMatchObject([{ entity_kind: 'user', entity_id: 2, actor: 'os:ops-tester' }]);
  });

  it('creates an admin with a generated password printed once, which signs in', async () => {
    const { b } = await stoppedWithSession();
    const r = await admin(['create-admin', '--username', 'ops.lead'], b.dataDir);
    expect(r.code).toBe(EXIT.ok);
    const password = /password for ops\.lead: (\S+)/.exec(r.out.join('\n'))?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(40);
    const [line] = await adminAuditLines(b.dataDir, 'admin.create-admin');
    expect(line).toMatchObject({ entity_kind: 'user', entity_id: 2, actor: 'os:ops-tester' });
    expect(line?.data).toMatchObject({ username: 'ops.lead', role: 'admin', passwordGenerated: true });
    expect(JSON.stringify(line)).not.toContain(password);
    expect((await admin(['create-admin', '--username', 'ops.lead'], b.dataDir)).code).toBe(EXIT.refused);

    await b.restart();
    const signedIn = await login(b, 'ops.lead', password);
    expect(signedIn.status).toBe(200);
    const who = await fetch(`${b.api}/auth/me`, { headers: { authorization: `Bearer ${signedIn.token}` } });
    expect(await who.json()).toMatchObject({ user: { username: 'ops.lead', role: 'admin' } });
  });

  it('disables and enables an account, and refuses to disable the last enabled admin', async () => {
    const { b } = await stoppedWithSession();
    const last = await admin(['disable-user', '--username', 'admin'], b.dataDir);
    expect(last.code).toBe(EXIT.refused);
    expect(last.err.join('\n')).toMatch(/admin is the last enabled admin.*nothing was done/);
    expect(await adminAuditLines(b.dataDir, 'admin.disable-user')).toEqual([]);

    expect((await admin(['create-admin', '--username', 'ops.lead', '--password-stdin'], b.dataDir, { stdin: NEW_PASSWORD })).code).toBe(EXIT.ok);
    const off = await admin(['disable-user', '--username', 'ops.lead'], b.dataDir);
    expect(off.code).toBe(EXIT.ok);
    expect(off.out).toEqual(['disabled ops.lead; its sessions are ended']);
    const [line] = await adminAuditLines(b.dataDir, 'admin.disable-user');
    expect(line).toMatchObject({ entity_kind: 'user', entity_id: 2, actor: 'os:ops-tester' });

    // A reset does not enable it behind anyone's back, and says so.
    const reset = await admin(['reset-password', '--username', 'ops.lead', '--password-stdin'], b.dataDir, { stdin: `${NEW_PASSWORD}-2` });
    expect(reset.out.join('\n')).toMatch(/ops\.lead is disabled and cannot sign in until enabled/);
    await b.restart();
    expect((await login(b, 'ops.lead', `${NEW_PASSWORD}-2`)).status).toBe(401);
    await b.app.stop();

    expect((await admin(['enable-user', '--username', 'ops.lead'], b.dataDir)).code).toBe(EXIT.ok);
    expect(await adminAuditLines(b.dataDir, 'admin.enable-user')).toMatchObject([{ entity_kind: 'user', entity_id: 2, actor: 'os:ops-tester' }]);
    await b.restart();
    expect((await login(b, 'ops.lead', `${NEW_PASSWORD}-2`)).status).toBe(200);
  });

  it('lists sessions by a prefix of their hash and revokes them: the tokens answer 401', async () => {
    const b = await startTestBackend();
    backend = b;
    const first = await login(b, 'admin', ADMIN_PASSWORD);
    const second = await login(b, 'admin', ADMIN_PASSWORD);
    await b.app.stop();
    const hashes = await withDb(b.dataDir, (db) => db.selectFrom('sessions').select('token_hash').execute());

    const list = await admin(['sessions', '--username', 'admin'], b.dataDir);
    expect(list.code).toBe(EXIT.ok);
    const text = list.out.join('\n');
    expect(text).toMatch(/2 session\(s\)/);
    for (const { token_hash } of hashes) {
      expect(text).toContain(token_hash.slice(0, 12));
      expect(text).not.toContain(token_hash);
    }
    for (const t of [first.token, second.token]) expect(text).not.toContain(t);
    expect(await adminAuditLines(b.dataDir, 'admin.sessions')).toMatchObject([{ entity_kind: 'user', entity_id: 1, actor: 'os:ops-tester' }]);

    expect((await admin(['revoke-sessions'], b.dataDir)).code).toBe(EXIT.usage);
    const revoked = await admin(['revoke-sessions', '--username', 'admin'], b.dataDir);
    expect(revoked.out).toEqual(['2 session(s) of admin ended']);
    expect((await admin(['revoke-sessions', '--all'], b.dataDir)).out).toEqual(['0 session(s) ended']);
    expect(await adminAuditLines(b.dataDir, 'admin.revoke-sessions')).toMatchObject([
      { entity_kind: 'user', entity_id: 1, actor: 'os:ops-tester', data: { username: 'admin', sessionsEnded: 2 } },
      { entity_kind: 'system', entity_id: 0, actor: 'os:ops-tester', data: { sessionsEnded: 0 } },
    ]);
    await b.restart();
    expect(await me(b, first.token ?? '')).toBe(401);
    expect(await me(b, second.token ?? '')).toBe(401);
  });
});
