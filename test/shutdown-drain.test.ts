import { afterEach, describe, expect, it } from 'vitest';
import { type BackendProcess, startBackendProcess } from './helpers/backend-process.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { waitFor } from './helpers/wait-for.ts';

const start = (dataDir: string, drainS: string) =>
  startBackendProcess({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'drain-test-password', SHUTDOWN_DRAIN_S: drainS });

describe('draining before shutdown', () => {
  const dir = tempDir('metrics2-drain-');
  let running: BackendProcess | undefined;
  afterEach(() => {
    running?.child.kill('SIGKILL');
    dir.remove();
  });

  it('answers not ready at once on SIGTERM while still serving, then stops and exits 0', async () => {
    running = await start(dir.path, '3');
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
    running = await start(dir.path, '300');
    const { api, child } = running;
    child.kill('SIGTERM');
    await waitFor(async () => (await fetch(`${api}/ready`)).status === 503, { what: '/api/ready to answer 503' });
    expect((await fetch(`${api}/health`)).status).toBe(200);
    child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    await expect(fetch(`${api}/health`)).rejects.toThrow();
  });
});
