import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LocalProxy } from '../tunnel-proxy/local-proxy.ts';
import { adminToken, startFleetBackend, type FleetBackend } from './fleet-backend.ts';
import { machineBusyUs, startChild, type Child, type ProcessSample } from './ipc.ts';
import { ECHO, PLC, type BoxStarted, type BoxTunnelCounters } from './tunnel-lan.ts';
import { closeModbus, EchoStream, interleavedRoundTrips, median, modbusClient, modbusRoundTrips } from './tunnel-measure.ts';
import { renderTunnelRun, writeTunnelSection, type CpuShare, type StreamRun, type TunnelRun } from './tunnel-report.ts';

/**
 * `npm run bench:tunnel`: a PLC tunnel (Modbus client → local proxy → backend WebSocket → MQTT →
 * simulated box → its LAN device) against a direct loopback connection to the same device, in
 * one run: Modbus round-trip time, then echoed stream throughput. The backend runs as `npm start`
 * does, in its own process; the box in another; the clients and the local proxy in this one.
 * Not a test: it prints figures and writes its section of BENCHMARKS.md; it fails only if a run breaks.
 * Flags: --requests 500 (per path)  --block 50  --mb 32 (per stream run)  --runs 5  --no-write
 *        --nodelay backend,box: a diagnostic; TCP_NODELAY forced on every socket of those processes
 *        (bench/tcp-nodelay.mjs), printed only, never written to BENCHMARKS.md
 */

const { values: a } = parseArgs({
  options: {
    requests: { type: 'string', default: '500' },
    block: { type: 'string', default: '50' },
    mb: { type: 'string', default: '32' },
    runs: { type: 'string', default: '5' },
    nodelay: { type: 'string', default: '' },
    'no-write': { type: 'boolean', default: false },
  },
});
const REQUESTS = Number(a.requests);
const BLOCK = Number(a.block);
const STREAM_BYTES = Number(a.mb) * 2 ** 20;
const RUNS = Number(a.runs);
const NODELAY = new Set(a.nodelay.split(',').filter(Boolean));
const nodelayEnv = (who: string): Record<string, string> =>
  NODELAY.has(who)
    ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${fileURLToPath(new URL('./tcp-nodelay.mjs', import.meta.url))}`.trim() }
    : {};
const ENGINEER = { username: 'bench-engineer', password: 'bench-engineer-password-not-secret', role: 'engineer' };
const SERIAL = 'MTB26TUNNELBENCH1';

const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

/**
 * A calendar override with support open all day, its time zone chosen so that it is about noon
 * there now and that day a working one: sessions open active at whatever hour the bench runs.
 */
function allDayCalendar(path: string): void {
  const utcMinutes = new Date().getUTCHours() * 60 + new Date().getUTCMinutes();
  const utcOffsetMinutes = 720 - utcMinutes;
  const local = new Date(Date.now() + utcOffsetMinutes * 60_000);
  const date = local.toISOString().slice(0, 10);
  const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
  const year = { source: 'bench/tunnel.ts: support all day', holidays: [], workdays: weekend ? [date] : [] };
  const calendar = { utcOffsetMinutes, supportHours: { start: '00:00', end: '23:59' }, years: { [date.slice(0, 4)]: year } };
  writeFileSync(path, JSON.stringify(calendar));
}

async function api<T>(backend: FleetBackend, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${backend.base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** An engineer, a registered box (online in the box process) and an active session on it. */
async function setUp(backend: FleetBackend, box: Child): Promise<{ token: string; sessionId: number; lan: BoxStarted }> {
  const admin = await adminToken(backend);
  await api(backend, admin, 'POST', '/users', ENGINEER);
  const { token } = await api<{ token: string }>(backend, '', 'POST', '/auth/login', { username: ENGINEER.username, password: ENGINEER.password });
  const { secret } = await api<{ secret: string }>(backend, admin, 'POST', '/devices', { serial: SERIAL, model: 'MT-BOX-4G', firmware: '2.4.1' });
  const lan = await box.call<BoxStarted>('start', { mqttUrl: `mqtt://127.0.0.1:${backend.mqttPort}`, serial: SERIAL, secret });
  const session = await api<{ id: number; state: string }>(backend, token, 'POST', '/sessions', { serial: SERIAL });
  if (session.state !== 'active') throw new Error(`the session opened ${session.state}, not active`);
  return { token, sessionId: session.id, lan };
}

async function openTunnel(backend: FleetBackend, token: string, sessionId: number, target: { host: string; port: number }): Promise<LocalProxy> {
  const tunnel = await api<{ url: string }>(backend, token, 'POST', `/sessions/${sessionId}/tunnels`, target);
  return LocalProxy.listen({ url: tunnel.url, token, host: '127.0.0.1', port: 0 });
}

interface CpuMoment {
  t: number;
  backendUs: number;
  box: ProcessSample;
  selfUs: number;
  busyUs: number;
}

async function cpuMoment(backend: FleetBackend, box: Child): Promise<CpuMoment> {
  const self = process.cpuUsage();
  return {
    t: performance.now(),
    backendUs: backend.cpuUs(),
    box: await box.call<ProcessSample>('stats'),
    selfUs: self.user + self.system,
    busyUs: machineBusyUs(),
  };
}

function cpuBetween(x: CpuMoment, y: CpuMoment): CpuShare {
  const pct = (us: number) => (us / 1000 / (y.t - x.t)) * 100;
  const [backend, box, bench] = [pct(y.backendUs - x.backendUs), pct(y.box.cpuUs - x.box.cpuUs), pct(y.selfUs - x.selfUs)];
  return { backend, box, bench, rest: Math.max(0, pct(y.busyUs - x.busyUs) - backend - box - bench) };
}

/** One echoed stream run on a path, with each process's CPU over it. */
async function streamRun(path: EchoStream, payload: Buffer, backend: FleetBackend, box: Child): Promise<StreamRun> {
  const before = await cpuMoment(backend, box);
  const ms = await path.run(payload);
  const after = await cpuMoment(backend, box);
  return { ms, mbPerS: payload.length / 2 ** 20 / (ms / 1000), cpu: cpuBetween(before, after) };
}

/** Sequential Modbus reads through the PLC tunnel for as long as `busy` runs: the round trip under the stream's load. */
async function roundTripsDuring<T>(client: Parameters<typeof modbusRoundTrips>[0], busy: Promise<T>): Promise<{ result: T; times: number[] }> {
  let done = false;
  const settled = busy.finally(() => {
    done = true;
  });
  const times: number[] = [];
  while (!done) times.push(...(await modbusRoundTrips(client, 1)));
  return { result: await settled, times };
}

/** The box's tunnel counters once it has seen both tunnels close (the backend's CLOSE may still be on its way). */
async function boxTunnelsClosed(box: Child): Promise<BoxTunnelCounters[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const tunnels = await box.call<BoxTunnelCounters[]>('tunnels');
    if (tunnels.every((t) => t.closeReason !== undefined) || Date.now() > deadline) return tunnels;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function measure(backend: FleetBackend, box: Child): Promise<Omit<TunnelRun, 'command' | 'durationS'>> {
  const { token, sessionId, lan } = await setUp(backend, box);
  log(`box ${SERIAL} online, session ${sessionId} active`);

  const plcProxy = await openTunnel(backend, token, sessionId, PLC);
  const direct = await modbusClient(lan.plc.port);
  const tunnel = await modbusClient(plcProxy.address.port);
  const rtt = await interleavedRoundTrips({ direct, tunnel }, { perPath: REQUESTS, block: BLOCK, warmup: 50 });
  log(`Modbus read of 8 registers: median ${median(rtt.direct).toFixed(3)} ms direct, ${median(rtt.tunnel).toFixed(3)} ms through the tunnel`);

  const echoProxy = await openTunnel(backend, token, sessionId, ECHO);
  const streams = { direct: await EchoStream.connect(lan.echo.port), tunnel: await EchoStream.connect(echoProxy.address.port) };
  const payload = randomBytes(STREAM_BYTES);
  // Warm-up: JIT, socket buffers and the tunnel's first frames, not measured.
  for (const s of [streams.tunnel, streams.direct]) await s.run(payload.subarray(0, 2 ** 20));
  const runs = { direct: [] as StreamRun[], tunnel: [] as StreamRun[] };
  for (let i = 0; i < RUNS; i++) {
    runs.tunnel.push(await streamRun(streams.tunnel, payload, backend, box));
    runs.direct.push(await streamRun(streams.direct, payload, backend, box));
    log(`stream run ${i + 1}/${RUNS}: ${runs.tunnel.at(-1)!.mbPerS.toFixed(1)} MB/s tunnel, ${runs.direct.at(-1)!.mbPerS.toFixed(0)} MB/s direct`);
  }
  const loaded = await roundTripsDuring(tunnel, streamRun(streams.tunnel, payload, backend, box));
  log(`with the stream running: ${loaded.result.mbPerS.toFixed(1)} MB/s, Modbus through the tunnel median ${median(loaded.times).toFixed(2)} ms`);

  await Promise.all([streams.direct.close(), streams.tunnel.close(), closeModbus(direct), closeModbus(tunnel)]);
  const outcomes = await Promise.all([plcProxy.done, echoProxy.done]);
  const boxTunnels = await boxTunnelsClosed(box);
  return { rtt, streamBytes: STREAM_BYTES, runs, loaded: { run: loaded.result, rttMs: loaded.times }, boxTunnels, outcomes };
}

const calendarFile = join(tmpdir(), `mtbox-bench-tunnel-calendar-${process.pid}.json`);
allDayCalendar(calendarFile);
const backend = await startFleetBackend({ env: { CALENDAR_FILE: calendarFile, TUNNEL_IDLE_S: '900', ...nodelayEnv('backend') } });
const box = await startChild(fileURLToPath(new URL('./tunnel-box.ts', import.meta.url)), { env: nodelayEnv('box') });
let result: Omit<TunnelRun, 'command' | 'durationS'>;
try {
  result = await measure(backend, box);
} finally {
  await box.call('stop').catch(() => {});
  await box.stop();
  await backend.stop();
  rmSync(calendarFile, { force: true });
}

const run: TunnelRun = {
  ...result,
  command: ['npm run bench:tunnel', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
  durationS: (Date.now() - started) / 1000,
};
console.log(`\n${renderTunnelRun(run)}`);
if (NODELAY.size > 0) log(`TCP_NODELAY forced in: ${[...NODELAY].join(', ')} (diagnostic; BENCHMARKS.md not written)`);
else if (!a['no-write']) {
  await writeTunnelSection(run);
  log('BENCHMARKS.md written');
}
