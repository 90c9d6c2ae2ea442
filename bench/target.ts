import { fileURLToPath } from 'node:url';
import { startChild, type Child, type ProcessSample } from './ipc.ts';

/**
 * What the load generator connects to, each its own process: the bare relay, the full backend
 * on SQLite, or the full backend with TELEMETRY_STORE=influxdb writing to a VictoriaMetrics.
 */

export type TargetKind = 'relay' | 'backend' | 'influx';

export interface BoxCredentials {
  serial: string;
  secret: string;
}

/**
 * `count` is messages delivered to the relay's subscriber, telemetry rows stored by the backend,
 * or points the time-series server acknowledged for the influx target.
 */
export interface TargetStats extends ProcessSample {
  count: number;
  /** When the last message was counted, if the target records it (wall ms). */
  lastAt?: number;
  /** The influx target's spool and forwarder, as /api/health shows them. */
  spool?: SpoolSample;
}

export interface SpoolSample {
  /** Points waiting in the spool, and the disk they use. */
  points: number;
  bytes: number;
  /** Points InfluxDB acknowledged since start (count above). */
  forwarded: number;
  /** Acknowledged into the spool since start: forwarded + waiting. */
  accepted: number;
  full: boolean;
  state: string;
  failures: number;
  lastError: string | null;
}

export interface Target {
  kind: TargetKind;
  port: number;
  child: Child;
  provision(count: number): Promise<BoxCredentials[]>;
  /** `flush` makes the backend write what it has batched before counting rows. */
  stats(opts?: { flush?: boolean; gc?: boolean }): Promise<TargetStats>;
}

const SCRIPTS: Record<TargetKind, string> = {
  relay: fileURLToPath(new URL('./reference-relay.ts', import.meta.url)),
  backend: fileURLToPath(new URL('./backend-process.ts', import.meta.url)),
  influx: fileURLToPath(new URL('./backend-process.ts', import.meta.url)),
};

/** Whether a child process still runs (signal 0 only checks). */
export function alive(child: Child): boolean {
  try {
    process.kill(child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `child` whose calls fail with an error naming it once it has died: sending to a dead child
 * would otherwise raise an IPC 'error' event that takes this process down without the figures.
 */
export function guarded(child: Child, name: string): Child {
  return {
    ...child,
    call<T>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T> {
      if (!alive(child)) return Promise.reject(new Error(`the ${name} process has exited (before ${cmd})`));
      return child.call<T>(cmd, args, timeoutMs);
    },
  };
}

/** `influxUrl` is where the influx target writes (required for it). */
export async function startTarget(kind: TargetKind, opts: { cpuProfDir?: string; influxUrl?: string } = {}): Promise<Target> {
  if (kind === 'influx' && !opts.influxUrl) throw new Error('the influx target needs a VictoriaMetrics URL');
  const execArgv = ['--expose-gc', '--max-old-space-size=8192'];
  if (opts.cpuProfDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`);
  const child = guarded(await startChild(SCRIPTS[kind], { execArgv }), kind);
  const { port } = await child.call<{ port: number }>('start', kind === 'influx' ? { influxUrl: opts.influxUrl } : {}, 120_000);
  return {
    kind,
    port,
    child,
    provision: (count) => child.call<BoxCredentials[]>('provision', { count }, 300_000),
    stats: (o = {}) => child.call<TargetStats>(o.gc ? 'gc' : 'stats', { flush: o.flush ?? false }),
  };
}
