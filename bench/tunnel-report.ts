import { machine, writeSection } from './benchmarks-md.ts';
import { cpus } from 'node:os';
import { MAX_DATA_BYTES, WINDOW_FRAMES } from '../services/contract/tunnel-frames.ts';
import type { TunnelOutcome } from '../tunnel-proxy/local-proxy.ts';
import type { BoxTunnelCounters } from './tunnel-lan.ts';
import { median, quantile } from './tunnel-measure.ts';

/** Markdown for `npm run bench:tunnel`: the console and its own section of BENCHMARKS.md. */

/** % of one core over a run, per process. */
export interface CpuShare {
  backend: number;
  box: number;
  /** This process: the clients and the local proxy. */
  bench: number;
  rest: number;
}

export interface StreamRun {
  ms: number;
  /** MB (2^20 bytes) each way per second. */
  mbPerS: number;
  cpu: CpuShare;
}

export interface TunnelRun {
  rtt: { direct: number[]; tunnel: number[] };
  streamBytes: number;
  runs: { direct: StreamRun[]; tunnel: StreamRun[] };
  /** One more tunnel stream run with Modbus reads through the PLC tunnel all along. */
  loaded: { run: StreamRun; rttMs: number[] };
  boxTunnels: BoxTunnelCounters[];
  outcomes: TunnelOutcome[];
  command: string;
  durationS: number;
}

const MB = 2 ** 20;
const WINDOW_BYTES = WINDOW_FRAMES * MAX_DATA_BYTES;
const n0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const n1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const ms3 = (x: number) => (Number.isFinite(x) ? x.toFixed(x < 1 ? 3 : 2) : '–');
const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x)}%` : '–');
const ratio = (x: number) => (Number.isFinite(x) ? `${x < 0.1 ? x.toFixed(3) : x.toFixed(2)}` : '–');

function rttTable(r: TunnelRun): string {
  const { direct, tunnel } = r.rtt;
  const row = (label: string, xs: number[]) =>
    `| ${label} | ${xs.length} | ${ms3(median(xs))} | ${ms3(quantile(xs, 0.95))} | ${ms3(quantile(xs, 0.99))} | ${n0(1000 / median(xs))} |`;
  return [
    '| path | requests | median ms | p95 ms | p99 ms | requests / s at the median |',
    '|---|---:|---:|---:|---:|---:|',
    row('direct TCP to the PLC', direct),
    row('through the tunnel', tunnel),
    `| **tunnel ÷ direct** | | **${ratio(median(tunnel) / median(direct))}** | **${ratio(quantile(tunnel, 0.95) / quantile(direct, 0.95))}** | ${ratio(quantile(tunnel, 0.99) / quantile(direct, 0.99))} | |`,
    row('through the tunnel while its stream runs (below)', r.loaded.rttMs),
  ].join('\n');
}

function streamTable(r: TunnelRun): string {
  const row = (label: string, runs: StreamRun[]) => {
    const cpu = (f: (c: CpuShare) => number) => pct(median(runs.map((x) => f(x.cpu))));
    return (
      `| ${label} | ${n1(median(runs.map((x) => x.mbPerS)))} | ${runs.map((x) => n1(x.mbPerS)).join(', ')} | ${n0(median(runs.map((x) => x.ms)))} | ` +
      `${cpu((c) => c.backend)} | ${cpu((c) => c.box)} | ${cpu((c) => c.bench)} | ${cpu((c) => c.rest)} |`
    );
  };
  const [d, t] = [median(r.runs.direct.map((x) => x.mbPerS)), median(r.runs.tunnel.map((x) => x.mbPerS))];
  return [
    '| path | MB/s each way, median | each run | ms per run, median | backend CPU | box process CPU | bench process CPU (clients, local proxy) | rest of the machine |',
    '|---|---:|---|---:|---:|---:|---:|---:|',
    row('direct loopback to the echo device', r.runs.direct),
    row('through the tunnel', r.runs.tunnel),
    `| **tunnel ÷ direct** | **${ratio(t / d)}** | | | | | | |`,
    row('through the tunnel with Modbus reads alongside', [r.loaded.run]),
  ].join('\n');
}

/** What limits the stream: the flow-control window against the round trip, and the CPU. */
function windowLines(r: TunnelRun): string {
  const idleRtt = median(r.rtt.tunnel);
  const loadedRtt = median(r.loaded.rttMs);
  const measured = median(r.runs.tunnel.map((x) => x.mbPerS));
  const idleBound = WINDOW_BYTES / MB / (idleRtt / 1000);
  const echo = r.boxTunnels.find((t) => t.target.endsWith(':7'));
  const cpu = (k: keyof CpuShare) => median(r.runs.tunnel.map((x) => x.cpu[k]));
  const total = cpu('backend') + cpu('box') + cpu('bench') + cpu('rest');
  const cores = cpus().length;
  const verdict =
    measured > idleBound
      ? 'more than that bound: the idle round trip is not what a frame sees in a steady stream (it has waits a stream does not, see below)'
      : measured < 0.5 * idleBound
        ? 'well under that bound: the window is not what limits the stream'
        : 'near that bound: the window may be what limits the stream';
  return [
    `- Window: ${WINDOW_FRAMES} DATA frames × ${n0(MAX_DATA_BYTES / 1024)} KiB = ${n0(WINDOW_BYTES / 1024)} KiB unacknowledged per direction.`,
    `- Bound = window ÷ idle tunnel round trip (${ms3(idleRtt)} ms, the Modbus median above) = ${n1(idleBound)} MB/s each way. ` +
      `Measured ${n1(measured)} MB/s, ${verdict}.`,
    `- With the window full, a frame's time in flight is window ÷ throughput = ${ms3((WINDOW_BYTES / MB / measured) * 1000)} ms; Modbus reads through ` +
      `the other tunnel during the stream took ${ms3(loadedRtt)} ms (median). Frames queue behind one another on the box's one MQTT ` +
      'connection and in the backend, so under load the round trip grows until window ÷ round trip meets the throughput: it follows the throughput rather than setting it.',
    `- The box had at most ${echo ? echo.maxInFlight : '–'} of ${WINDOW_FRAMES} DATA frames unacknowledged on the echo tunnel (its upward direction), ` +
      `and at most ${echo ? n0(echo.maxPlcBuffered / 1024) : '–'} KiB queued towards the echo device.`,
    `- CPU during the tunnel runs (medians): backend ${pct(cpu('backend'))}, box ${pct(cpu('box'))}, bench process ${pct(cpu('bench'))}, ` +
      `rest of the machine ${pct(cpu('rest'))}: ${pct(total)} of ${cores * 100}%` +
      `${total >= cores * 85 ? ', the machine was saturated, so CPU, shared with other work, is what limits the stream in this run' : ''}.`,
    ...nagleNote(r),
  ].join('\n');
}

/**
 * An idle round trip of tens of ms on loopback is Nagle's algorithm meeting delayed ACKs on the MQTT
 * sockets (neither aedes's accepted sockets nor mqtt.js set TCP_NODELAY): a small write waits for
 * the ACK of the one before, which the peer delays by up to 40 ms. Said when the figures show it.
 */
function nagleNote(r: TunnelRun): string[] {
  const [tunnel, direct] = [median(r.rtt.tunnel), median(r.rtt.direct)];
  if (!(tunnel >= 30 && tunnel >= 10 * direct)) return [];
  return [
    `- The idle round trip is ${ms3(tunnel)} ms on loopback, ${ratio(tunnel / direct)} × direct: about 40 ms per direction is ` +
      "Nagle's algorithm meeting delayed ACKs on the MQTT sockets (the broker's accepted sockets and the box's mqtt.js client " +
      'leave TCP_NODELAY off; the WebSocket and the LAN sockets set it). A steady stream fills segments and does not wait, which ' +
      'is why the stream beats window ÷ idle round trip. `npm run bench:tunnel -- --nodelay backend,box` forces TCP_NODELAY on ' +
      'every socket of both processes to show the difference (printed only); each side alone removes about half.',
  ];
}

export function renderTunnelRun(r: TunnelRun): string {
  return [
    `#### Modbus round trip: read 8 holding registers (function 3), sequential, interleaved in blocks`,
    rttTable(r),
    `#### Stream: ${n0(r.streamBytes / MB)} MB written and echoed back on one connection, ${r.runs.tunnel.length} runs per path`,
    streamTable(r),
    '#### What limits the stream',
    windowLines(r),
  ].join('\n\n');
}

const METHOD = `### Method

\`bench/tunnel.ts\` starts the backend exactly as \`npm start\` does (\`services/main.ts\` in its own Node
process, temp data directory, \`TUNNEL_IDLE_S=900\`, and a calendar override with support open all day so
the session is active at any hour) and a simulated box in a second process (\`bench/tunnel-box.ts\`:
\`SimBox\` over MQTT with its LAN PLC, modbus-serial's \`ServerTCP\`, and an echo device that pipes each
connection back to itself). This process holds the clients and the engineer's local proxy
(\`tunnel-proxy/local-proxy.ts\`, as \`npm run tunnel\` runs it). An engineer opens a session on the box and
two tunnels through the API, one to \`192.168.1.10:502\` and one to \`192.168.1.20:7\`. The tunnel path is:
client → local proxy → backend WebSocket → MQTT \`tun/down\` → box → LAN device, and back by \`tun/up\`.
The direct path is the same client connected on loopback to the same server the box connects to.
All on loopback; MB = 2²⁰ bytes.

1. **Round trip**: one modbus-serial client per path, 50 reads each to warm up, then blocks of 50 sequential
   reads of holding registers 0–7 on each path in turn, the first path alternating per block, so the
   machine's noise hits both. Time from the request to its answer, in this process.
2. **Stream**: one connection per path for all runs (a tunnel carries one connection; closing it closes
   the tunnel). A run writes the payload in 1 MB slices, honouring back-pressure, while reading the echo;
   MB/s = payload ÷ time from the first byte written to the last byte echoed, checked byte-exact; so the
   tunnel carries that much each way at once. Runs alternate tunnel, direct; 1 MB per path first to warm
   up. CPU is per process from \`/proc\` (backend) and \`process.cpuUsage\` (box, this process) over each run;
   "rest" is the machine's busy time from \`/proc/stat\` minus those.
3. **Loaded round trip**: one more tunnel stream run with sequential Modbus reads through the PLC tunnel
   all along. They share the box's MQTT connection and the backend with the stream, so their round trip
   is what a DATA frame and its ACK see under that load; window ÷ that round trip is the most the
   window lets through.

The machine is shared (2 cores for the backend, the box, this process and other people's work): compare
the two paths of one run, and treat differences under ~15 % between runs as noise.`;

const START = '<!-- tunnel:start (written by npm run bench:tunnel) -->';
const END = '<!-- tunnel:end -->';

/** Replaces this benchmark's section of BENCHMARKS.md (its own markers), or appends it. */
export async function writeTunnelSection(r: TunnelRun): Promise<void> {
  const closed = r.outcomes.map((o) => (o.ok ? o.reason : `error: ${o.message}`)).join(', ');
  const section = [
    START,
    '## PLC tunnel against direct TCP (latest run)',
    [
      `- Machine: ${machine()}; shared with other work`,
      `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, took ${Math.round(r.durationS)} s`,
      `- Command: \`${r.command}\``,
      `- Tunnels closed at the end with: ${closed}`,
    ].join('\n'),
    renderTunnelRun(r),
    METHOD,
    END,
  ].join('\n\n');
  await writeSection(START, END, section);
}
