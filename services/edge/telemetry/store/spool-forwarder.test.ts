import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/temp-dir.ts';
import { waitFor } from '../../../../test/helpers/wait-for.ts';
import { createSpoolForwarder, type ForwarderStatus, WriteFailure } from './spool-forwarder.ts';
import { openTelemetrySpool, type TelemetrySpool } from './telemetry-spool.ts';

// A real spool file; the server's answers are scripted through the forwarder's write port, since
// a real InfluxDB never refuses the lines this backend writes (the store's own test runs against
// a real server).
let dir: ReturnType<typeof tempDir>;
let spool: TelemetrySpool;
beforeEach(() => {
  dir = tempDir();
  spool = openTelemetrySpool(path.join(dir.path, 'spool.sqlite'));
});
afterEach(() => {
  spool.close();
  dir.remove();
});

const rows = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ['MTB2611000001', 1000 + from + i, 5000, from + i, JSON.stringify({ rssi: -70 })]).flat();

function forwarder(write: (lines: string[]) => Promise<void>) {
  const statuses: ForwarderStatus[] = [];
  const setAside: Array<[number, string]> = [];
  const f = createSpoolForwarder({
    spool,
    write,
    clock: () => 1_000_000,
    batchLines: 8,
    retry: { minDelayMs: 5, maxDelayMs: 20 },
    onStatus: (s) => statuses.push(s),
    onSetAside: (n, reason) => setAside.push([n, reason]),
  });
  return { f, statuses, setAside };
}

describe('spool forwarder', () => {
  it('sends the oldest points first, in batches, and deletes only what was acknowledged', async () => {
    spool.append(rows(20));
    const sent: string[][] = [];
    const { f } = forwarder(async (lines) => {
      sent.push(lines);
    });
    f.poke();
    await waitFor(() => f.status().state === 'idle' && f.status().points === 0, { what: 'the spool to drain' });
    expect(sent.map((b) => b.length)).toEqual([8, 8, 4]);
    expect(sent.flat().map((l) => Number(l.split(' ')[2]))).toEqual(Array.from({ length: 20 }, (_, i) => 1000 + i));
    expect(f.status().forwarded).toBe(20);
  });

  it('keeps a batch the server failed to take and sends the same batch again after a back-off', async () => {
    spool.append(rows(5));
    const attempts: string[][] = [];
    const { f, statuses } = forwarder(async (lines) => {
      attempts.push(lines);
      if (attempts.length <= 2) throw new WriteFailure('InfluxDB answered 503: busy', 503);
    });
    f.poke();
    await waitFor(() => f.status().points === 0, { what: 'the batch to go through on the third attempt' });
    expect(attempts).toHaveLength(3);
    expect(attempts[2]).toEqual(attempts[0]);
    expect(statuses.some((s) => s.state === 'waiting' && s.failures === 2 && s.lastError === 'InfluxDB answered 503: busy')).toBe(true);
    expect(f.status()).toMatchObject({ failures: 0, lastError: null, forwarded: 5 });
  });

  it('halves the batch after a 413 and sends everything in smaller requests', async () => {
    spool.append(rows(8));
    const sizes: number[] = [];
    const { f } = forwarder(async (lines) => {
      sizes.push(lines.length);
      if (lines.length > 3) throw new WriteFailure('too large', 413);
    });
    f.poke();
    await waitFor(() => f.status().points === 0, { what: 'the spool to drain in smaller batches' });
    expect(sizes).toEqual([8, 4, 2, 2, 2, 2]);
  });

  it('sets aside lines the server calls invalid, keeping them on disk, and goes on with the rest', async () => {
    spool.append(rows(8));
    spool.append(rows(4, 100));
    const { f, setAside } = forwarder(async (lines) => {
      if (lines.some((l) => l.includes('boxSeq=3i'))) throw new WriteFailure('InfluxDB answered 400: field type conflict', 400);
    });
    f.poke();
    await waitFor(() => f.status().points === 0, { what: 'the spool to drain' });
    expect(setAside).toEqual([[8, 'InfluxDB answered 400: field type conflict']]);
    expect(f.status()).toMatchObject({ setAside: 8, forwarded: 4 });
  });

  it('finishes the request in flight when stopped, and leaves the rest in the spool for the next start', async () => {
    spool.append(rows(20));
    let release: () => void = () => {};
    const { f } = forwarder(
      (lines) =>
        new Promise<void>((resolve) => {
          release = resolve;
          expect(lines).toHaveLength(8);
        }),
    );
    f.poke();
    await waitFor(() => f.status().state === 'sending', { what: 'a request in flight' });
    const stopped = f.stop();
    release();
    await stopped;
    expect(f.status()).toMatchObject({ state: 'stopped', points: 12, forwarded: 8 });
  });
});
