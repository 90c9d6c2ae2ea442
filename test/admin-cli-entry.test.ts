import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestBackend, type TestBackend } from './helpers/backend.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NEW_PASSWORD = 'harbour-violet-sextant-42';

/** The real entry, as `npm run admin --` runs it from sources, with `stdin` piped in. */
function adminCli(args: string[], dataDir: string, stdin = ''): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/admin-cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(stdin);
  });
}

describe('the admin CLI entry', () => {
  let backend: TestBackend | null = null;
  afterEach(async () => {
    await backend?.stop();
    backend = null;
  });

  it('resets a password read from a pipe, answers 1 for a refusal or a wrong data directory and 2 for a usage error', async () => {
    const b = await startTestBackend();
    backend = b;
    await b.app.stop();

    const reset = await adminCli(['reset-password', '--username', 'admin', '--password-stdin'], b.dataDir, `${NEW_PASSWORD}\n`);
    expect(reset.err).toBe('');
    expect(reset.code).toBe(0);
    expect(reset.out).toMatch(/password of admin reset/);
    const unknown = await adminCli(['disable-user', '--username', 'nobody'], b.dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no account is named "nobody"; nothing was done/);
    const wrongDir = await adminCli(['sessions'], path.join(b.dataDir, 'not-the-data-dir'));
    expect(wrongDir.code).toBe(1);
    expect(wrongDir.err).toMatch(/holds no MT-BOX Care database/);
    const usage = await adminCli(['disable-user'], b.dataDir);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/usage: npm run admin -- disable-user --username <name>/);

    await b.restart();
    const login = async (password: string) =>
      (
        await fetch(`${b.api}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password }),
        })
      ).status;
    expect(await login(NEW_PASSWORD)).toBe(200);
    expect(await login(ADMIN_PASSWORD)).toBe(401);
    // Four processes, each loading the sources through tsx: seconds apiece on a busy machine.
  }, 120_000);
});
