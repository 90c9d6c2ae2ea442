import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/helpers/time-series-servers.ts';

/**
 * The balancer in front of the benchmarked nodes: `processes` HAProxy processes with the same
 * configuration bound to ONE loopback port. `ulimit -n` is capped at 20,000 here and each proxied
 * box holds two descriptors (box side, node side), so one process cannot carry 10,000 boxes;
 * Linux spreads the connections of a port bound with SO_REUSEPORT (HAProxy's default) over the
 * processes listening on it. MQTT goes through as deploy/haproxy/haproxy.cfg sends it: tcp,
 * leastconn, send-proxy-v2, each node checked on /api/ready.
 */

export interface Balancer {
  port: number;
  pids: number[];
  /** Open sockets of each HAProxy process (two per proxied box): whether the kernel spread the boxes. */
  socketsPerProcess(): number[];
  stop(): Promise<void>;
}

export interface BalancedNode {
  mqttPort: number;
  httpPort: number;
}

function config(port: number, nodes: BalancedNode[], maxconn: number): string {
  return [
    'global',
    `  maxconn ${maxconn}`,
    'defaults',
    '  timeout connect 5s',
    '  timeout client 31m',
    '  timeout server 31m',
    'frontend mqtt',
    '  mode tcp',
    `  bind 127.0.0.1:${port}`,
    '  default_backend mqtt_nodes',
    'backend mqtt_nodes',
    '  mode tcp',
    '  balance leastconn',
    '  option httpchk GET /api/ready',
    '  default-server inter 2s fall 2 rise 2',
    ...nodes.map((n, i) => `  server node${i + 1} 127.0.0.1:${n.mqttPort} send-proxy-v2 check port ${n.httpPort}`),
    '',
  ].join('\n');
}

/** Whether `count` sockets listen on 127.0.0.1:port (from /proc/net/tcp: a probe connection would reach a node). */
function listeners(port: number): number {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .filter((line) => {
      const [, address, , state] = line.trim().split(/\s+/);
      return address === local && state === '0A';
    }).length;
}

function openSockets(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
      } catch {
        return false;
      }
    }).length;
  } catch {
    return Number.NaN;
  }
}

/** `boxes` sets each process's maxconn: its share with a margin for an uneven spread. */
export async function startBalancer(nodes: BalancedNode[], o: { processes: number; boxes: number }): Promise<Balancer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mtbox-bench-haproxy-'));
  const cfg = join(dir, 'haproxy.cfg');
  const maxconn = Math.ceil((o.boxes / o.processes) * 1.3) + 200;
  writeFileSync(cfg, config(port, nodes, maxconn));
  try {
    execFileSync('haproxy', ['-c', '-q', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`HAProxy refused its config:\n${(err as { stderr?: Buffer }).stderr?.toString() ?? String(err)}`);
  }
  const procs: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < o.processes; i++) {
      const p = spawn('haproxy', ['-f', cfg, '-db'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
      procs.push(p);
      const started = Date.now();
      while (listeners(port) < i + 1) {
        if (p.exitCode !== null) throw new Error(`HAProxy process ${i + 1} exited at start (${p.exitCode})`);
        if (Date.now() - started > 10_000) throw new Error(`HAProxy process ${i + 1} did not listen in 10 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const pids = procs.map((p) => p.pid!);
  return { port, pids, socketsPerProcess: () => pids.map(openSockets), stop };
}
