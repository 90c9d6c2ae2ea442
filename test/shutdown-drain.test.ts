import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/temp-dir.ts';
import { waitFor } from './helpers/wait-for.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

interface Running {
  child: ChildProcess;
  api: string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  log(): string;
}

/** `services/main.ts` as its own process on free ports; its HTTP port read from the JSON log. */
async function startBackendProcess(dataDir: string, drainS: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      MQTT_PORT: '0',
      HTTP_PORT: '0',
      MQTT_HOST: '127.0.0.1',
      HTTP_HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_PASSWORD: 'drain-test-password',
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_S: drainS,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const { http } = await waitFor(
    () => {
      const line = out.split('\n').find((l) => l.includes('"mqtt"') && l.includes('"http"'));
      return line ? (JSON.parse(line) as { http: number }) : null;
    },
    { timeoutMs: 20_000, what: 'backend process to start' },
  );
  return { child, api: `http://127.0.0.1:${http}/api`, exited, log: () => out };
}

describe('draining before shutdown', () => {
  const dir = tempDir('metrics2-drain-');
  let running: Running | undefined;
  afterEach(() => {
    running?.child.kill('SIGKILL');
    dir.remove();
  });

  it('answers not ready at once on SIGTERM while still serving, then stops and exits 0', async () => {
    running = await startBackendProcess(dir.path, '3');
    const { api, child } = running;
    expect((await fetch(`${api}/ready`)).status).toBe(200);

    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const notReady = await waitFor(
      async () => {
        const res = await fetch(`${api}/ready`);
        return res.status === 503 ? ((await res.json()) as { error: string; details: { checks: Record<string, unknown> } }) : null;
      },
      { what: '/api/ready to answer 503' },
    );
    expect(notReady.error).toBe('NOT_READY');
    expect(notReady.details.checks.lifecycle).toEqual({ ok: false, detail: 'shutting down' });
    // Still serving: liveness and the rest of the API answer during the drain.
    const health = await fetch(`${api}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    expect(running.log()).toContain('stopping in 3 s');

    expect(await running.exited).toBe(0);
    // It served for the drain, not less.
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(3000);
    await expect(fetch(`${api}/health`)).rejects.toThrow();
  });

  it('cuts the drain short on a second signal', async () => {
    running = await startBackendProcess(dir.path, '300');
    const { api, child } = running;
    child.kill('SIGTERM');
    await waitFor(async () => (await fetch(`${api}/ready`)).status === 503, { what: '/api/ready to answer 503' });
    expect((await fetch(`${api}/health`)).status).toBe(200);
    child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    await expect(fetch(`${api}/health`)).rejects.toThrow();
  });
});
