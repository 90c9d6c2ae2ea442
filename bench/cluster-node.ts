import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledFile, PROJECT_ROOT } from '../services/platform/project-root.ts';
import { stopAndRemove } from './child-stop.ts';

/**
 * One node of the benchmarked cluster: the compiled backend (`dist/services/main.js`, what
 * `npm start` runs) as its own process with its own DATA_DIR, on free loopback ports read from
 * its start-up log line.
 */

export interface ClusterNode {
  pid: number;
  mqttPort: number;
  httpPort: number;
  /** Ends the process (SIGTERM, no drain wait) and removes its DATA_DIR. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

export async function startNode(env: Record<string, string>): Promise<ClusterNode> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mtbox-bench-node-'));
  const child: ChildProcess = spawn(process.execPath, ['--max-old-space-size=8192', compiledFile(join(PROJECT_ROOT, 'services/main.ts'))], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      ...env,
      DATA_DIR: dataDir,
      MQTT_PORT: '0',
      HTTP_PORT: '0',
      MQTT_HOST: '127.0.0.1',
      HTTP_HOST: '127.0.0.1',
      // The ports are read from the start-up line (info); later info lines are read and dropped.
      LOG_LEVEL: 'info',
      KEEPALIVE_MAX_S: '1200',
      // The benchmark stops its nodes at once: no load balancer waits for them to drain.
      SHUTDOWN_DRAIN_S: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ports = await new Promise<{ mqtt: number; http: number }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`a node did not start in ${START_TIMEOUT_MS / 1000} s:\n${out}`)), START_TIMEOUT_MS);
    function fail(err: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    }
    const onData = (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"mqtt"') && l.includes('"http"'));
      if (!line) return;
      clearTimeout(timer);
      // Keep reading stdout so that a full pipe never blocks the node; what it says is not kept.
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve(JSON.parse(line) as { mqtt: number; http: number });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`a node exited while starting (${code}):\n${out}`)));
  });
  return {
    pid: child.pid!,
    mqttPort: ports.mqtt,
    httpPort: ports.http,
    stop: () => stopAndRemove(child, exited, dataDir),
  };
}
