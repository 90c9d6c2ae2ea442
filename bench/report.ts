import { machine, writeSection } from './benchmarks-md.ts';
import { median, type IdleMemory, type Storm, type Sustained, type ThroughputRep } from './measure.ts';
import type { TargetKind } from './target.ts';

/** Markdown for the console and for BENCHMARKS.md. */

export interface Results {
  throughput: Array<{ kind: TargetKind; size: number; qos: 0 | 1; window: number; reps: ThroughputRep[] }>;
  idle: Array<IdleMemory & { kind: TargetKind }>;
  sustained: Sustained | null;
  storm: StormOutcome[];
}

/** A storm's figures, or the target died in it. */
export type StormOutcome = (Storm & { kind: TargetKind; crashed?: undefined }) | { kind: TargetKind; crashed: string };

/** Issue 13's targets; `ratio` is the older, informative one for the larger fleets. */
const TARGETS = {
  ratio: 0.7,
  smallFleet: { boxes: 100, ratio: 1.0 },
  connectVsRelay: 1.5,
  stormFullRateS: 10,
  sustainedCpu: 50,
  idleKbPerBox: 10,
};

/** Backend ÷ relay for each rep, rep i of one paired with rep i of the other (they ran back to back). */
function pairedRatios(backend: ThroughputRep[], relay: ThroughputRep[]): number[] {
  return backend.slice(0, relay.length).map((b, i) => b.rate / relay[i]!.rate);
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const pct = (x: number) => `${Math.round(x)}%`;
const opt = (x: number | undefined, f: (x: number) => string) => (x === undefined ? '–' : f(x));

function throughputTable(r: Results): string {
  const rows = [
    "| boxes | QoS | window | relay delivered msg/s | backend stored msg/s | backend / relay | per run (paired) | backend sent → stored (lost) | backend CPU | relay CPU | generator CPU relay / backend run | other processes' CPU relay / backend run |",
    '|---:|:-:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|',
  ];
  const keys = [...new Set(r.throughput.map((t) => `${t.size}:${t.qos}`))];
  for (const key of keys) {
    const [size, qos] = key.split(':').map(Number) as [number, number];
    const cells = r.throughput.filter((t) => t.size === size && t.qos === qos);
    const relay = cells.find((t) => t.kind === 'relay')?.reps;
    const backend = cells.find((t) => t.kind === 'backend')?.reps;
    const rate = (reps?: ThroughputRep[]) => (reps ? median(reps.map((x) => x.rate)) : undefined);
    const cpu = (reps?: ThroughputRep[]) => (reps ? median(reps.map((x) => x.targetCpu)) : undefined);
    const [rr, br] = [rate(relay), rate(backend)];
    const sent = backend?.reduce((s, x) => s + x.sent, 0);
    const stored = backend?.reduce((s, x) => s + x.stored, 0);
    const closed = backend?.reduce((s, x) => s + x.closed, 0) ?? 0;
    const both = (f: (x: ThroughputRep) => number) => [relay, backend].map((reps) => opt(reps && median(reps.map(f)), pct)).join(' / ');
    rows.push(
      `| ${n0(size)} | ${qos} | ${cells[0]!.window} | ${opt(rr, n0)} | ${opt(br, n0)} | ${rr && br ? (br / rr).toFixed(2) : '–'} | ` +
        `${
          relay && backend
            ? pairedRatios(backend, relay)
                .map((x) => x.toFixed(2))
                .join(', ')
            : '–'
        } | ` +
        `${sent === undefined ? '–' : `${n0(sent)} → ${n0(stored!)} (${n0(sent - stored!)})`}${closed ? `, ${closed} dropped` : ''} | ` +
        `${opt(cpu(backend), pct)} | ${opt(cpu(relay), pct)} | ${both((x) => x.generatorCpu)} | ${both((x) => x.othersCpu)} |`,
    );
  }
  return rows.join('\n');
}

function idleTable(r: Results): string {
  const rows = [
    '| boxes | relay KB / box | backend KB / box | backend MB per 1,000 boxes | backend RSS before → after | connect time relay / backend | backend / relay connect time |',
    '|---:|---:|---:|---:|---|---|---:|',
  ];
  for (const size of [...new Set(r.idle.map((i) => i.boxes))]) {
    const relay = r.idle.find((i) => i.kind === 'relay' && i.boxes === size);
    const backend = r.idle.find((i) => i.kind === 'backend' && i.boxes === size);
    rows.push(
      `| ${n0(size)} | ${opt(relay?.kbPerBox, (x) => x.toFixed(1))} | ${opt(backend?.kbPerBox, (x) => x.toFixed(1))} | ` +
        `${opt(backend && (backend.kbPerBox * 1000) / 1024, (x) => x.toFixed(1))} | ` +
        `${backend ? `${n0(backend.rssBeforeMB)} → ${n0(backend.rssAfterMB)} MB` : '–'} | ` +
        `${opt(relay?.connectS, (x) => `${x.toFixed(1)} s`)} / ${opt(backend?.connectS, (x) => `${x.toFixed(1)} s`)} | ` +
        `${relay && backend ? (backend.connectS / relay.connectS).toFixed(2) : '–'} |`,
    );
  }
  return rows.join('\n');
}

function sustainedTable(s: Sustained | null): string {
  if (!s) return '_not run_';
  return [
    "| boxes × rate × time | sent | stored | lost | backend CPU | generator CPU | other processes' CPU | backend RSS | generator lag (max) | dropped boxes |",
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${n0(s.boxes)} × 1/s × ${s.seconds} s | ${n0(s.sent)} | ${n0(s.stored)} | ${n0(s.sent - s.stored)} | ${pct(s.targetCpu)} | ${pct(s.generatorCpu)} | ${pct(s.othersCpu)} | ` +
      `${n0(s.rssMB)} MB | ${n0(s.maxLagMs)} ms | ${s.closed} |`,
  ].join('\n');
}

const secs = (x: number | null) => (x === null ? 'never' : `${x.toFixed(1)} s`);

function stormTable(storms: Results['storm']): string {
  if (storms.length === 0) return '_not run_';
  const rows = [
    "| target | boxes | all CONNACKs back | CONNACK median | refused | timed out | closed before CONNACK | back to full rate | sent → counted (lost) | target CPU | generator CPU | other processes' CPU | generator lag (max) |",
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|',
  ];
  for (const s of storms) {
    if (s.crashed !== undefined) {
      rows.push(`| ${s.kind} | – | **crashed** (${s.crashed}) | | | | | | | | | | |`);
      continue;
    }
    rows.push(
      `| ${s.kind} | ${n0(s.boxes)} | ${secs(s.allBackS)} | ${secs(s.connackP50S)} | ${s.refused} | ${s.timedOut} | ${s.closed} | ${secs(s.fullRateS)} | ` +
        `${n0(s.sent)} → ${n0(s.stored)} (${n0(s.sent - s.stored)})${s.dropped ? `, ${s.dropped} dropped` : ''} | ` +
        `${pct(s.targetCpu)} | ${pct(s.generatorCpu)} | ${pct(s.othersCpu)} | ${n0(s.maxLagMs)} ms |`,
    );
  }
  return rows.join('\n');
}

const verdict = (met: boolean, text: string) => `- ${met ? 'met' : '**missed**'}: ${text}`;

function ratioVerdicts(r: Results): string[] {
  const lines: string[] = [];
  for (const t of r.throughput.filter((x) => x.kind === 'backend')) {
    const relay = r.throughput.find((x) => x.kind === 'relay' && x.size === t.size && x.qos === t.qos);
    if (!relay) continue;
    if (t.size === TARGETS.smallFleet.boxes) {
      const ratios = pairedRatios(t.reps, relay.reps);
      const k = ratios.filter((x) => x >= TARGETS.smallFleet.ratio).length;
      lines.push(
        verdict(
          k === ratios.length && ratios.length >= 3,
          `${n0(t.size)} boxes, QoS ${t.qos}: stored ≥ ${TARGETS.smallFleet.ratio.toFixed(1)} × relay in ${k} of ${ratios.length} runs ` +
            `(${ratios.map((x) => x.toFixed(2)).join(', ')}; target: 3 of 3)`,
        ),
      );
      continue;
    }
    const ratio = median(t.reps.map((x) => x.rate)) / median(relay.reps.map((x) => x.rate));
    lines.push(
      verdict(
        ratio >= TARGETS.ratio,
        `${n0(t.size)} boxes, QoS ${t.qos}: stored throughput ${ratio.toFixed(2)} × relay (informative, target ≥ ${TARGETS.ratio})`,
      ),
    );
  }
  return lines;
}

function fleetVerdicts(r: Results): string[] {
  const lines: string[] = [];
  const largest = Math.max(...r.idle.map((i) => i.boxes));
  const idle = r.idle.find((i) => i.kind === 'backend' && i.boxes === largest);
  const relayIdle = r.idle.find((i) => i.kind === 'relay' && i.boxes === largest);
  if (idle && relayIdle) {
    const ratio = idle.connectS / relayIdle.connectS;
    lines.push(
      verdict(
        ratio <= TARGETS.connectVsRelay,
        `${n0(largest)} boxes connect in ${idle.connectS.toFixed(1)} s, ${ratio.toFixed(2)} × the relay's ${relayIdle.connectS.toFixed(1)} s (target ≤ ${TARGETS.connectVsRelay} ×)`,
      ),
    );
  }
  const storm = r.storm.find((s) => s.kind === 'backend');
  const relayStorm = r.storm.find((s) => s.kind === 'relay');
  if (storm?.crashed !== undefined) {
    lines.push(
      verdict(
        false,
        `reconnect storm: the backend **crashed** (${storm.crashed}) (target: back to full rate ≤ ${TARGETS.stormFullRateS} s, none refused)`,
      ),
    );
  } else if (storm) {
    const ref = relayStorm ? ` (relay: ${relayStorm.crashed !== undefined ? 'crashed' : secs(relayStorm.fullRateS)})` : '';
    lines.push(
      verdict(
        storm.fullRateS !== null && storm.fullRateS <= TARGETS.stormFullRateS,
        `reconnect storm of ${n0(storm.boxes)} boxes: ${storm.fullRateS === null ? 'not back to full rate' : `back to full rate in ${secs(storm.fullRateS)}`}${ref} (target ≤ ${TARGETS.stormFullRateS} s)`,
      ),
    );
    const failed = storm.refused + storm.timedOut + storm.closed;
    lines.push(
      verdict(
        failed === 0,
        `reconnect storm: ${storm.refused} refused, ${storm.timedOut} timed out, ${storm.closed} closed before CONNACK, ${storm.allBackS === null ? 'not all back' : `all back in ${secs(storm.allBackS)}`} (target: none refused)`,
      ),
    );
  }
  const s = r.sustained;
  if (s) {
    lines.push(
      verdict(
        s.sent === s.stored && s.closed === 0,
        `${n0(s.boxes)} boxes × 1 msg/s × ${s.seconds} s, ${n0(s.sent - s.stored)} lost, ${s.closed} dropped (target: none lost)`,
      ),
    );
    lines.push(
      verdict(
        s.targetCpu <= TARGETS.sustainedCpu,
        `${n0(s.boxes)} boxes × 1 msg/s at ${pct(s.targetCpu)} of one core (target ≤ ${TARGETS.sustainedCpu} %)`,
      ),
    );
  }
  if (idle)
    lines.push(
      verdict(
        idle.kbPerBox <= TARGETS.idleKbPerBox,
        `${idle.kbPerBox.toFixed(1)} KB RSS per idle box at ${n0(idle.boxes)} boxes (target ≤ ${TARGETS.idleKbPerBox} KB)`,
      ),
    );
  return lines;
}

function verdicts(r: Results): string {
  return [...ratioVerdicts(r), ...fleetVerdicts(r)].join('\n');
}

export function renderResults(r: Results): string {
  return [
    '### Stored throughput, saturated (median of runs)',
    throughputTable(r),
    '### Memory per idle connected box',
    idleTable(r),
    '### Reconnect storm: every box dropped and back at once',
    stormTable(r.storm),
    '### Sustained: every box at its real rate',
    sustainedTable(r.sustained),
    '### Against the targets',
    verdicts(r),
  ].join('\n\n');
}

const METHOD = `## Method

\`bench/run.ts\` starts four processes, each measuring itself (\`process.cpuUsage\`, RSS) and answering over IPC:

- **load generators** (\`bench/load-generator.ts\`), one per target, each holding that target's fleet: N simulated
  boxes on raw TCP sockets (\`node:net\`), MQTT 3.1.1 packets built once with mqtt-packet and patched in place
  (ts, seq, packet id), so a generator stays far from 100 % CPU. Boxes connect 200 at a time, each waiting for its
  CONNACK; client id = username = serial, keep-alive 600 s. Message: a valid 7-metric telemetry JSON on
  \`mtbox/{sn}/telemetry\` (194 bytes on the wire).
- **reference** (\`bench/reference-relay.ts\`): bare aedes (same version, default options) accepting anyone, and one
  subscriber on \`mtbox/+/telemetry\` at QoS 1 in the same process, counting what is delivered to it.
- **backend** (\`bench/backend-process.ts\`): \`startApp\` (guard → aedes → auth/ACL → zod → SQLite) on a temp data
  directory, boxes provisioned first. The count is telemetry rows in SQLite after a flush.

For each fleet size both targets get a fresh process, are kept alive side by side with their fleets connected
(an idle fleet costs its process next to nothing), and go through, in turn:

1. **Idle memory and connect time**: the fleet connects (relay, then backend); RSS is the median of 5 samples,
   each after a GC, before the boxes connect and 3 s after they have all connected and gone quiet; the difference
   per box. At 100 boxes it is within the noise of RSS itself; read the largest row. Connect time is from the
   first CONNECT to the last CONNACK, 200 at a time; the target compares the backend's with the relay's.
2. **Sustained** (backend, largest fleet, before the saturated runs): each box sends one QoS 0 message per second,
   spread evenly over the second, for 60 s; sent must equal stored and no box may be dropped; the backend's CPU
   over that minute is held against ≤ 50 % of one core.
3. **Saturated throughput**, 3 runs per target, paired: run i of the relay and run i of the backend go back to
   back (relay first in odd runs, backend first in even ones), so each ratio compares two runs that met the same
   machine, other people's work included; the 100-box target counts the runs whose paired ratio is ≥ 1.0, the
   table also shows the ratio of the medians. Every box publishes as fast as the target confirms, with at most
   *window* messages per box unconfirmed (about 20,000 across the fleet, 4–20 per box; same for both targets).
   QoS 1 is confirmed by PUBACK. QoS 0 has no ack, so a PINGREQ follows every half window and its PINGRESP
   confirms the publishes before it (aedes handles a connection's packets in order). Without a bound, socket
   buffers would hold minutes of backlog; with too big a window the relay queues and slows several-fold.
   **msg/s = messages counted ÷ time from the first send to the last message counted**: the relay acknowledges
   before it delivers, so its deliveries trail its intake, and this charges it for both. Loss = sent − counted.
   The acks themselves cost the target CPU (a write per box per half window, ~5–20 % of the backend's time
   in profiles); real QoS 0 boxes get none, so absolute QoS 0 figures are a little pessimistic for both targets.
4. **Reconnect storm** (largest fleet, last, relay then backend; \`--no-storm\` skips it): the generator drops every
   socket at once with a RST (so the target sees the outage at once) and opens all of them again at once, no
   batching and no retry. A box whose CONNACK carries a return code other than 0 is counted as *refused*, one with
   no CONNACK within 30 s as *timed out*, one whose connection closes or fails first as *closed*; none is retried.
   Each box that has its CONNACK back reports one QoS 0 message per second (box i in slot i mod 100, 10 ms
   apart), for 15 s from the drop and at least 3 s after the last box's outcome. The target's count is read every
   500 ms (for the backend a flush and a \`count(*)\`, charged to its CPU). **Back to full rate** is the first
   reading, counted from the drop, at which every box has its CONNACK back, the target counted at least 95 % of
   one message per box in the second before, and less than one second of traffic (one message per box) was sent
   and not yet counted. A target that dies in the storm (bare aedes can: mqemitter drains a long queue
   recursively, mcollina/mqemitter#204) is reported as crashed; the storm goes last so that a crash costs no other
   figure.

If a process dies outside the storm or a step breaks, the run stops with an error and a non-zero exit, prints the
figures measured so far and leaves BENCHMARKS.md as it was. A missed target is a figure like any other: it is reported, not fatal.

## How to read the ratio

\`backend / relay\` compares messages the backend *stored* per second with messages the bare relay *delivered* to
one subscriber per second, under the same load (each target's generator is the same program). The relay does no
authentication, validation or storage, but has a delivery leg (serialise, write, the subscriber's PUBACK, and a
queue when the subscriber lags) that the backend skips. Below 1.0 the backend's guard + validation + SQLite cost
more than that delivery leg; above 1.0, less. Target: ≥ 1.0 at 100 boxes in every run (3 of 3); for the larger
fleets the older ≥ 0.7 stays as an informative line. With few boxes the relay is at its best (about 40k QoS 1
msg/s with 100 publishers); with thousands it spends most of its time queueing for its one subscriber, which is
why the ratio exceeds 1 there. QoS 0 is the telemetry contract; QoS 1 is measured because the reference figures
(a bare aedes 1.2 relay: about 39k QoS 1 msg/s with 100 publishers, 15k with 2,000) are QoS 1.

The machine is shared and noisy: 2 cores for three busy processes (the idle target and its generator aside), and
other people's work on the same machine (the "other processes" column; tens of percent there means that run lost
CPU to them). Treat differences under ~15 % between runs as noise. A target near 100 % CPU is the bottleneck; a
generator near 100 % would mean the figures understate the target.

To see where the backend's CPU goes: \`npm run bench -- --sizes 100 --targets backend --cpu-prof /tmp/prof\`, then
\`npx tsx bench/profile-summary.ts /tmp/prof/CPU.*.0.001.cpuprofile --from 5\`.`;

const START = '<!-- bench:start (written by npm run bench) -->';
const END = '<!-- bench:end -->';

/** Replaces the generated section of BENCHMARKS.md, keeping anything written by hand around it. */
export async function writeBenchmarksMd(r: Results, run: { command: string; durationS: number }): Promise<void> {
  const section = [
    START,
    '## Telemetry ingest (latest run)',
    [
      `- Machine: ${machine()}; shared with other work`,
      `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, took ${Math.round(run.durationS)} s`,
      `- Command: \`${run.command}\``,
    ].join('\n'),
    renderResults(r).replaceAll('### ', '#### '),
    METHOD.replaceAll('## ', '### '),
    END,
  ].join('\n\n');
  await writeSection(START, END, section);
}
