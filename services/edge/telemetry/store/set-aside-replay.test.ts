import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/temp-dir.ts';
import { replaySetAside } from './set-aside-replay.ts';
import { openTelemetrySpool } from './telemetry-spool.ts';

const row = (serial: string, ts: number) => [serial, ts, ts + 5, 1, JSON.stringify({ temp_c: 40 })];

describe('replaying the points InfluxDB set aside', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });

  it('queues them again after what waits, in their order, and empties set_aside', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir.path, 'telemetry-spool.sqlite');
    const spool = openTelemetrySpool(file);
    spool.append([...row('MTB2411000001', 1000), ...row('MTB2411000002', 2000)]);
    spool.setAside(spool.oldest(10)?.lastId ?? 0, 3000, 'field type conflict');
    spool.append(row('MTB2411000003', 4000));
    spool.close();

    expect(replaySetAside(file)).toEqual({ points: 2, byReason: { 'field type conflict': 2 } });
    const reopened = openTelemetrySpool(file);
    const lines = reopened.oldest(10)?.lines ?? [];
    expect(lines.map((l) => /serial=(\w+)/.exec(l)?.[1])).toEqual(['MTB2411000003', 'MTB2411000001', 'MTB2411000002']);
    expect(reopened.stats()).toMatchObject({ points: 3, setAside: 0 });
    reopened.close();
    expect(replaySetAside(file)).toEqual({ points: 0, byReason: {} });
  });

  it('finds nothing to replay where there is no spool file', () => {
    const dir = tempDir();
    dirs.push(dir);
    expect(replaySetAside(path.join(dir.path, 'telemetry-spool.sqlite'))).toEqual({ points: 0, byReason: {} });
  });
});
