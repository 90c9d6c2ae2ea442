import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../device-sim/index.ts';
import { loadOrProvision } from '../device-sim/credentials.ts';
import { ADMIN_PASSWORD, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { waitFor } from './helpers/wait-for.ts';

interface DeviceListItem {
  serial: string;
  presence: { online: boolean };
}

describe('a simulated fleet against the whole backend', () => {
  let backend: TestBackend;
  let fleet: Fleet;
  const dir = tempDir();

  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await fleet?.stop({ graceful: true });
    await backend.stop();
    dir.remove();
  });

  it('provisions 20 boxes through the API and shows them online with live telemetry', async () => {
    const credentials = await loadOrProvision({
      count: 20,
      apiUrl: `http://127.0.0.1:${backend.app.httpPort}`,
      adminPassword: ADMIN_PASSWORD,
      file: `${dir.path}/fleet.csv`,
      now: Date.now(),
    });
    expect(credentials).toHaveLength(20);
    fleet = await startFleet({ mqttUrl: backend.mqttUrl, credentials, rate: 5, statsEveryMs: 0 });
    const headers = await backend.adminHeaders();
    const online = await waitFor(
      async () => {
        const res = await fetch(`${backend.api}/devices?online=true`, { headers });
        const body = (await res.json()) as { devices: DeviceListItem[] };
        return body.devices.length === 20 ? body.devices : null;
      },
      { what: '20 boxes online in the API' },
    );
    expect(online.every((d) => d.presence.online)).toBe(true);
    const serial = credentials[0]!.serial;
    const series = await waitFor(
      async () => {
        const res = await fetch(`${backend.api}/devices/${serial}/telemetry?metric=supply_voltage`, { headers });
        const body = (await res.json()) as { points: Array<{ value: number }> };
        return body.points.length >= 3 ? body.points : null;
      },
      { what: 'telemetry points stored for one box' },
    );
    for (const p of series) expect(p.value).toBeGreaterThan(20);
  });

  it('stores each fault a simulated box raises exactly once, and counts its bad payloads', async () => {
    const box = fleet.boxes[3]!;
    const id = box.raiseFault({ code: 'PLC_LINK_DOWN', severity: 'warning', context: { port: 'RS485-1' } });
    box.publishRaw('telemetry', '{"ts": not json', 0);
    const headers = await backend.adminHeaders();
    const faults = await waitFor(
      async () => {
        const res = await fetch(`${backend.api}/devices/${box.serial}/faults`, { headers });
        const body = (await res.json()) as { faults: Array<{ id: string }> };
        return body.faults.some((f) => f.id === id) ? body.faults : null;
      },
      { what: 'the raised fault in the API' },
    );
    expect(faults.filter((f) => f.id === id)).toHaveLength(1);
    await waitFor(
      async () => {
        const res = await fetch(`${backend.api}/devices/${box.serial}`, { headers });
        const body = (await res.json()) as { rejected: Record<string, number> };
        return body.rejected['invalid-json'] === 1;
      },
      { what: 'the bad payload counted against the box' },
    );
  });
});
