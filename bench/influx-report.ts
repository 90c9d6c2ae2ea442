import { machine, writeSection } from './benchmarks-md.ts';
import type { Outage } from './influx-outage.ts';
import { median, type ThroughputRep } from './measure.ts';
import type { Results } from './report.ts';

/** The InfluxDB (VictoriaMetrics) part of `npm run bench`, for the console and BENCHMARKS.md. */

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const pct = (x: number) => `${Math.round(x)}%`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const secs = (x: number | null) => (x === null ? 'not within the bound' : `${x.toFixed(1)} s`);
const med = (reps: ThroughputRep[], f: (r: ThroughputRep) => number | undefined) => median(reps.map((r) => f(r) ?? Number.NaN));

function throughputTable(r: Results): string | null {
  const influxCells = r.throughput.filter((t) => t.kind === 'influx');
  if (influxCells.length === 0) return null;
  const rows = [
    "| boxes | QoS | window | relay delivered msg/s | SQLite backend stored msg/s | influx forwarded msg/s | influx / relay | per run (paired) | influx / SQLite | influx spooled msg/s while sending | influx forwarded msg/s while sending | spool backlog at end of sending | influx sent → forwarded (lost) | influx CPU | VictoriaMetrics CPU | SQLite backend CPU | other processes' CPU in the influx run |",
    '|---:|:-:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|',
  ];
  for (const t of influxCells) {
    const find = (kind: string) => r.throughput.find((x) => x.kind === kind && x.size === t.size && x.qos === t.qos)?.reps;
    const [relay, sqlite, influx] = [find('relay'), find('backend'), t.reps];
    const rate = (reps?: ThroughputRep[]) => (reps ? median(reps.map((x) => x.rate)) : undefined);
    const [rr, sr, ir] = [rate(relay), rate(sqlite), rate(influx)!];
    const paired = relay ? influx.slice(0, relay.length).map((x, i) => (x.rate / relay[i]!.rate).toFixed(2)) : [];
    const sent = influx.reduce((s, x) => s + x.sent, 0);
    const stored = influx.reduce((s, x) => s + x.stored, 0);
    const closed = influx.reduce((s, x) => s + x.closed, 0);
    rows.push(
      `| ${n0(t.size)} | ${t.qos} | ${t.window} | ${rr === undefined ? '–' : n0(rr)} | ${sr === undefined ? '–' : n0(sr)} | ${n0(ir)} | ` +
        `${rr ? (ir / rr).toFixed(2) : '–'} | ${paired.join(', ') || '–'} | ${sr ? (ir / sr).toFixed(2) : '–'} | ` +
        `${n0(med(influx, (x) => x.spooledSendingRate))} | ${n0(med(influx, (x) => x.sendingRate))} | ${n0(med(influx, (x) => x.spoolBacklog))} | ` +
        `${n0(sent)} → ${n0(stored)} (${n0(sent - stored)})${closed ? `, ${closed} dropped` : ''} | ` +
        `${pct(med(influx, (x) => x.targetCpu))} | ${pct(med(influx, (x) => x.sidecarCpu))} | ${sqlite ? pct(med(sqlite, (x) => x.targetCpu)) : '–'} | ` +
        `${pct(med(influx, (x) => x.othersCpu))} |`,
    );
  }
  return rows.join('\n');
}

function outageTable(o: Outage): string {
  const rows: Array<[string, string]> = [
    ['boxes × rate', `${n0(o.boxes)} × 1 msg/s (QoS 0)`],
    ['VictoriaMetrics stopped', `${o.outageS} s, from ${o.stoppedAtS.toFixed(1)} s to ${o.restartedAtS.toFixed(1)} s after sending began`],
    [
      'spool growth while stopped',
      `${n0(o.growthPointsPerS)} points/s, ${mb(o.growthBytesPerS)}/s (${n0(o.growthBytesPerS / o.growthPointsPerS)} bytes per point)`,
    ],
    ['acknowledged into the spool while stopped', `${n0(o.acceptedPerSWhileDown)} points/s`],
    [
      'spool when VictoriaMetrics answered again',
      `${n0(o.pointsAtRestart)} points, ${mb(o.bytesAtRestart)} (peak ${n0(o.peakPoints)} points, ${mb(o.peakBytes)})`,
    ],
    ['forwarder when it came back', `${o.failuresAtRestart} failed attempts in a row; last error: ${o.lastError ?? 'none'}`],
    ['first point forwarded after the restart', secs(o.resumeS)],
    ['spool under one second of traffic again after the restart', secs(o.drainS)],
    ['drain: forwarded while the boxes kept sending', o.drainForwardedPerS === null ? '–' : `${n0(o.drainForwardedPerS)} points/s`],
    ['drain: net spool shrink', o.drainNetPerS === null ? '–' : `${n0(o.drainNetPerS)} points/s`],
    ['spool ever full (back-pressure)', o.everFull ? 'yes' : 'no'],
    ['sent → acknowledged into the spool → forwarded (lost)', `${n0(o.sent)} → ${n0(o.accepted)} → ${n0(o.forwarded)} (${n0(o.sent - o.forwarded)})`],
    ['boxes dropped, generator lag (max)', `${o.closed}, ${n0(o.maxLagMs)} ms`],
  ];
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

/** A reading about every 10 s, every one within a second of the stop and of the restart, and the last. */
function timelineTable(o: Outage): string {
  const rows = ['| s | spool points | spool MB | forwarded | acknowledged | forwarder |', '|---:|---:|---:|---:|---:|---|'];
  let lastShown = Number.NEGATIVE_INFINITY;
  const near = (s: number) => Math.abs(s - o.stoppedAtS) < 1.1 || Math.abs(s - o.restartedAtS) < 1.1;
  o.timeline.forEach((p, i) => {
    const last = i === o.timeline.length - 1;
    if (p.s - lastShown < 0.5 || !(last || near(p.s) || p.s - lastShown >= 10)) return;
    lastShown = p.s;
    rows.push(
      `| ${p.s.toFixed(1)} | ${n0(p.points)} | ${(p.bytes / 1024 / 1024).toFixed(1)} | ${n0(p.forwarded)} | ${n0(p.accepted)} | ${p.state}${p.full ? ', full' : ''} |`,
    );
  });
  return rows.join('\n');
}

export interface InfluxResults {
  outage: Outage | null;
  /** Samples of telemetry_boxSeq VictoriaMetrics holds at the end of the run (one per point). */
  inVictoria?: number;
}

/** What the forwarders counted as acknowledged over the run against what VictoriaMetrics holds. */
function victoriaCheck(r: Results, ir: InfluxResults): string | null {
  if (ir.inVictoria === undefined) return null;
  const forwarded =
    r.throughput.filter((t) => t.kind === 'influx').reduce((n, t) => n + t.reps.reduce((m, x) => m + x.stored, 0), 0) + (ir.outage?.forwarded ?? 0);
  const verdict = ir.inVictoria === forwarded ? 'every acknowledged point is there' : `a difference of ${n0(ir.inVictoria - forwarded)}`;
  return `VictoriaMetrics holds ${n0(ir.inVictoria)} samples of \`telemetry_boxSeq\` (one per point) at the end of the run; the forwarders counted ${n0(forwarded)} points acknowledged: ${verdict}.`;
}

export function renderInflux(r: Results, ir: InfluxResults): string | null {
  const parts: string[] = [];
  const t = throughputTable(r);
  if (t) parts.push('### InfluxDB store: stored throughput, saturated (median of runs)', t);
  if (ir.outage) {
    parts.push('### InfluxDB store: VictoriaMetrics stopped under load', outageTable(ir.outage));
    parts.push('### InfluxDB store: the spool over the outage (/api/health readings)', timelineTable(ir.outage));
  }
  const check = victoriaCheck(r, ir);
  if (check) parts.push(check);
  return parts.length ? parts.join('\n\n') : null;
}

const METHOD = `### Method (InfluxDB store)

The **influx** target (\`--targets relay,backend,influx\`) is the same backend process as **backend**
(\`bench/backend-process.ts\`) started with \`TELEMETRY_STORE=influxdb\` and \`INFLUX_URL\` pointing at one
VictoriaMetrics (Debian's \`victoria-metrics\`) that \`bench/run.ts\` starts for the run on a free loopback port
with a temp data directory and stops at the end, also when the run breaks. VictoriaMetrics takes InfluxDB 2's
\`/api/v2/write\` as InfluxDB does; it runs on the same 2 cores as everything else. The influx target has its own
load generator and fleet, and takes the same saturated runs as the other two, paired the same way (rep i of all
three back to back, the order reversed every other rep; relay and influx are neighbours only in odd reps).

What is counted, read from \`/api/health\` as an operator would:

- **forwarded** (\`telemetry.forwarder.forwarded\`): points VictoriaMetrics acknowledged (HTTP 204 to the
  forwarder's write); the forwarder deletes a batch from the spool only then. This is the influx target's
  *stored* count: **influx forwarded msg/s** = forwarded ÷ time from the first send to the last batch
  acknowledged (the forwarder's \`lastSuccessAt\`), the same definition as the other two targets' msg/s.
- **acknowledged into the spool** = forwarded + \`telemetry.spool.points\` (what is waiting on disk):
  **influx spooled msg/s while sending** is its growth over the sending window after the warm-up, the rate the
  broker took messages at; **influx forwarded msg/s while sending** is forwarded over the same window. When the
  first exceeds the second the spool grows during the run (the backlog column) and drains after it, which is
  the tail the end-to-end rate pays for. The spool thread reports at most every 250 ms while points arrive (and
  after every acknowledged batch), so a reading trails the spool by up to that much.

**Outage** (\`--influx-outage-seconds 60\`, 0 skips it; on the influx target at the largest fleet, before the
saturated runs): every box sends one QoS 0 message per second (as in the sustained run); after
\`--influx-outage-before\` s (10) VictoriaMetrics is stopped (SIGTERM) for the outage, then started again on the
same port and data; \`/api/health\` is read every second (every 200 ms after the restart). *Growth* is the
spool's points and bytes over the stopped interval ÷ its length; *drained* is the first reading after the
restart with fewer points waiting than one second of traffic (one per box); the *drain rate* is points
forwarded per second from the first forward after the restart to that reading, while the boxes keep sending
(so the spool shrinks by the drain rate minus the fleet's rate). The forwarder retries with back-off (1, 2, 4 …
s, at most 30 s), so the first forward after the restart waits for its next attempt. Then the boxes stop, the
spool drains completely and sent, acknowledged and forwarded are compared: nothing refused or lost means all
three are equal and the spool was never full.`;

const START = '<!-- bench-influx:start (written by npm run bench with the influx target) -->';
const END = '<!-- bench-influx:end -->';

/** Replaces the InfluxDB section of BENCHMARKS.md (appended the first time), keeping the rest. */
export async function writeInfluxSection(markdown: string, run: { command: string; durationS: number }): Promise<void> {
  const section = [
    START,
    '## Telemetry in InfluxDB (VictoriaMetrics)',
    [
      `- Machine: ${machine()}; shared with other work`,
      `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, took ${Math.round(run.durationS)} s`,
      `- Command: \`${run.command}\``,
    ].join('\n'),
    markdown.replaceAll('### ', '#### '),
    METHOD,
    END,
  ].join('\n\n');
  await writeSection(START, END, section);
}
