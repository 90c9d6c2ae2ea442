import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { compiledFile } from '../services/platform/project-root.ts';
import { RUNS_COMPILED } from '../services/platform/worker-entry.ts';

/**
 * Request/response over the Node IPC channel between bench/run.ts and its child processes.
 * Each child measures itself (CPU, RSS, counts) so the figures never include the parent.
 */

interface Request {
  id: number;
  cmd: string;
  args: unknown;
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export type Handlers = Record<string, (args: never) => unknown>;

/** In a child: answer the parent's requests with `handlers`; exits when the parent goes. */
export function serve(handlers: Handlers): void {
  if (!process.send) throw new Error('run me from bench/run.ts (needs an IPC channel)');
  process.on('disconnect', () => process.exit(0));
  // A normal exit, so that --cpu-prof writes its profile.
  process.on('SIGTERM', () => process.exit(0));
  process.on('message', (msg: Request) => {
    const handler = handlers[msg.cmd] as ((args: unknown) => unknown) | undefined;
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${msg.cmd}`);
        return handler(msg.args);
      })
      .then(
        (result) => process.send!({ id: msg.id, ok: true, result } satisfies Reply),
        (err: unknown) => process.send!({ id: msg.id, ok: false, error: String((err as Error)?.stack ?? err) } satisfies Reply),
      );
  });
  process.send({ ready: true });
}

export interface Child {
  pid: number;
  call<T>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks nicely (SIGTERM), then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

/**
 * The file a child runs for `script` (a bench/*.ts source): its build in dist/, with no loader, so
 * the benchmark measures the JavaScript `npm start` runs (the bench scripts build first).
 */
function compiledChild(script: string): string {
  const file = RUNS_COMPILED ? script.replace(/\.ts$/, '.js') : compiledFile(script);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (the bench scripts do)`);
  return file;
}

/** Forks `script` (named by its .ts source) compiled. */
export async function startChild(script: string, opts: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Child> {
  const proc: ChildProcess = fork(compiledChild(script), [], {
    execArgv: opts.execArgv ?? [],
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.once('exit', (code, signal) => {
    for (const w of waiting.values()) w.reject(new Error(`${script} exited (${code ?? signal})`));
    waiting.clear();
  });
  // A send to a child that just died fails asynchronously on the channel; without a listener
  // that error would end the parent before it prints what was measured.
  proc.on('error', (err) => {
    for (const w of waiting.values()) w.reject(new Error(`${script}: ${err.message}`));
    waiting.clear();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 60 s`)), 60_000);
    proc.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.once('exit', (code) => reject(new Error(`${script} exited at start (${code})`)));
  });
  proc.on('message', (msg: Reply) => {
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.ok) w.resolve(msg.result);
    else w.reject(new Error(`${script}: ${msg.error}`));
  });

  return {
    pid: proc.pid!,
    call<T>(cmd: string, args: unknown = {}, timeoutMs = 300_000): Promise<T> {
      const id = nextId++;
      if (!proc.connected) return Promise.reject(new Error(`${script} ${cmd}: the process has exited`));
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`${script} ${cmd}: no answer in ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, {
          resolve: (v) => (clearTimeout(timer), resolve(v as T)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        proc.send({ id, cmd, args } satisfies Request);
      });
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const grace = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(grace);
    },
  };
}

export interface ProcessSample {
  /** Wall clock, ms, comparable across processes on one machine. */
  t: number;
  cpuUs: number;
  rss: number;
}

export function sampleProcess(): ProcessSample {
  const cpu = process.cpuUsage();
  return { t: performance.timeOrigin + performance.now(), cpuUs: cpu.user + cpu.system, rss: process.memoryUsage.rss() };
}

/** CPU time the whole machine spent busy (all processes, all cores), from /proc/stat. */
export function machineBusyUs(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    // cpu user nice system idle iowait irq softirq steal …, in USER_HZ (100/s on Linux).
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 10_000;
  } catch {
    return Number.NaN;
  }
}

/** Share of one core used between two samples, in percent. */
export function cpuPercent(a: ProcessSample, b: ProcessSample): number {
  return ((b.cpuUs - a.cpuUs) / 1000 / (b.t - a.t)) * 100;
}
