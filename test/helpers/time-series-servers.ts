import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from './temp-dir.ts';
import { waitFor } from './wait-for.ts';

/**
 * Real time-series servers from Debian's packages, each on free loopback ports with a temporary
 * data directory (test/setup/debian-packages.ts installs them when missing):
 * - VictoriaMetrics takes InfluxDB 2's `/api/v2/write` line protocol and shows what it stored
 *   through `/api/v1/export`: the write half of InfluxDB.
 * - InfluxDB 1.6 answers InfluxQL on `/query`: the read half.
 */
export interface TimeSeriesServer {
  url: string;
  /** Stops the process (SIGTERM, then SIGKILL); the data directory stays for start(). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory, e.g. after an outage. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  remove(): Promise<void>;
  running(): boolean;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A server run as a child process: start() waits until `ready` answers, stop() sends `stopSignal`
 * (SIGKILL after 10 s) and waits for the exit, remove() stops it and calls `onRemove`.
 */
export function managed(
  spawnIt: () => ChildProcess,
  ready: () => Promise<boolean>,
  what: string,
  onRemove: () => void,
  { stopSignal = 'SIGTERM' }: { stopSignal?: NodeJS.Signals } = {},
) {
  let child: ChildProcess | null = null;
  let output = '';
  async function start(): Promise<void> {
    output = '';
    const c = spawnIt();
    child = c;
    c.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    c.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    // A server that exits while starting (a port taken, a bad flag) fails at once with its output,
    // rather than after the whole wait.
    const exited = new Promise<never>((_, reject) =>
      c.once('exit', (code) => reject(new Error(`${what} exited (${code}) while starting:\n${output}`))),
    );
    exited.catch(() => {});
    await Promise.race([waitFor(() => ready().catch(() => false), { what: `${what} to answer`, timeoutMs: 20_000 }), exited]);
  }
  async function stop(): Promise<void> {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill(stopSignal);
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  return {
    start,
    stop,
    running: () => child !== null,
    async remove() {
      await stop();
      onRemove();
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  return res.ok;
}

/** VictoriaMetrics keeping everything (its default retention of a month would drop old test timestamps). */
export async function startVictoriaMetrics(): Promise<TimeSeriesServer & { exportLines(match: string): Promise<ExportedSeries[]> }> {
  const dir = tempDir('mtbox-vm-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = managed(
    () =>
      spawn(
        'victoria-metrics',
        [
          `-storageDataPath=${path.join(dir.path, 'data')}`,
          `-httpListenAddr=127.0.0.1:${port}`,
          '-retentionPeriod=100y',
          '-loggerLevel=ERROR',
          '-search.disableCache',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    () => answers(`${url}/health`),
    'VictoriaMetrics',
    () => dir.remove(),
  );
  await server.start();
  return {
    url,
    ...server,
    /** Every sample VictoriaMetrics holds for the series matching `match` (a series selector). */
    async exportLines(match) {
      // Samples arrive in memory first; force_flush makes them visible to export at once.
      await fetch(`${url}/internal/force_flush`);
      const res = await fetch(`${url}/api/v1/export`, { method: 'POST', body: new URLSearchParams({ 'match[]': match }) });
      if (!res.ok) throw new Error(`export answered ${res.status}: ${await res.text()}`);
      const text = await res.text();
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as ExportedSeries);
    },
  };
}

export interface ExportedSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

/** InfluxDB 1.6 with no authentication, seeded through its v1 `/write`. */
export async function startInfluxDb1(): Promise<
  TimeSeriesServer & { write(db: string, lines: string[]): Promise<void>; query(q: string, db?: string): Promise<unknown> }
> {
  const dir = tempDir('mtbox-influx-');
  const [httpPort, rpcPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${httpPort}`;
  const conf = path.join(dir.path, 'influxdb.conf');
  writeFileSync(
    conf,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]',
      `  dir = "${path.join(dir.path, 'meta')}"`,
      '[data]',
      `  dir = "${path.join(dir.path, 'data')}"`,
      `  wal-dir = "${path.join(dir.path, 'wal')}"`,
      '  query-log-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${httpPort}"`,
      '  log-enabled = false',
      '[logging]',
      '  level = "error"',
      '[monitor]',
      '  store-enabled = false',
      '',
    ].join('\n'),
  );
  const server = managed(
    () => spawn('influxd', ['-config', conf], { stdio: ['ignore', 'pipe', 'pipe'] }),
    async () => (await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) })).status === 204,
    'InfluxDB 1.6',
    () => dir.remove(),
  );
  await server.start();
  const query = async (q: string, db?: string) => {
    const res = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q, ...(db ? { db } : {}) }) });
    if (!res.ok) throw new Error(`InfluxDB answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  return {
    url,
    ...server,
    query,
    async write(db, lines) {
      await query(`CREATE DATABASE "${db}"`);
      const res = await fetch(`${url}/write?db=${encodeURIComponent(db)}&precision=ms`, { method: 'POST', body: lines.join('\n') });
      if (res.status !== 204) throw new Error(`InfluxDB refused the write (${res.status}): ${await res.text()}`);
    },
  };
}
