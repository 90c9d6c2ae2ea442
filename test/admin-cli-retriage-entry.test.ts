import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

const SERIAL = 'MTB2411000777';

describe('npm run admin -- retriage, through the real entry', () => {
  let backend: TestBackend | null = null;
  afterEach(async () => {
    await backend?.stop();
    backend = null;
  });

  // The composed services start a telemetry writer thread: the process must still end once done.
  it('decides the fault again and exits with 0', async () => {
    const b = await startTestBackend();
    backend = b;
    const [first] = await b.app.provision([SERIAL]);
    const box = await connectBox(b.mqttUrl, SERIAL, first?.secret ?? '');
    await publish(box, topicFor(SERIAL, 'fault'), { id: 'f1', ts: Date.now(), code: 'FLASH_WRITE_FAILED', severity: 'error' });
    await box.endAsync();
    const headers = await b.adminHeaders();
    const decisions = async () => (await (await fetch(`${b.api}/devices/${SERIAL}/decisions`, { headers })).json()) as unknown[];
    await waitFor(async () => (await decisions()).length === 1, { what: 'the first decision' });
    await b.app.stop();

    const r = spawnSync(process.execPath, ['--import', 'tsx', 'services/admin-cli.ts', 'retriage', '--fault', '1'], {
      env: { ...process.env, DATA_DIR: b.dataDir },
      timeout: 90_000,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/fault 1 \(FLASH_WRITE_FAILED\): .* by rule .*\n[\s\S]*it replaces decision 1/);
  }, 120_000);
});
