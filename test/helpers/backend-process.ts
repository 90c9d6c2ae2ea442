import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { waitFor } from './wait-for.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface BackendProcess {
  child: ChildProcess;
  mqttPort: number;
  httpPort: number;
  /** e.g. http://127.0.0.1:40123/api */
  api: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Everything it logged on stdout so far (JSON lines). */
  log(): string;
  /** SIGKILL, as a crash would; resolves once it is gone. */
  kill(): Promise<void>;
}

/**
 * `services/main.ts` as its own process on free loopback ports, as `npm run dev` starts it; the
 * ports are read from its JSON log. `env` is added to this process's environment.
 */
export async function startBackendProcess(env: Record<string, string>): Promise<BackendProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, MQTT_PORT: '0', HTTP_PORT: '0', MQTT_HOST: '127.0.0.1', HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  let gone = false;
  void exited.then(() => (gone = true));
  const ports = await waitFor(
    () => {
      if (gone) throw new Error(`the backend process exited while starting:\n${out}`);
      const line = out.split('\n').find((l) => l.includes('"mqtt"') && l.includes('"http"'));
      return line ? (JSON.parse(line) as { mqtt: number; http: number }) : null;
    },
    { timeoutMs: 30_000, what: 'backend process to start' },
  );
  return {
    child,
    mqttPort: ports.mqtt,
    httpPort: ports.http,
    api: `http://127.0.0.1:${ports.http}/api`,
    exited,
    log: () => out,
    async kill() {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
  };
}
