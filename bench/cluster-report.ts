import { machine } from './benchmarks-md.ts';
import type { ConnectFigures, DecisionFigures, SaturatedRep } from './cluster-measure.ts';
import { median } from './measure.ts';

/** BENCHMARKS.md's section of `npm run bench -- --cluster`: the table per node count, the cost per message, the projection. */

export const CLUSTER_START = '<!-- cluster:start (written by npm run bench -- --cluster) -->';
export const CLUSTER_END = '<!-- cluster:end -->';

export interface ClusterRun {
  nodes: number;
  boxesPerNode: number[];
  connect: ConnectFigures;
  reps: SaturatedRep[];
  decisions: DecisionFigures;
}

interface RunInfo {
  command: string;
  durationS: number;
  boxes: number;
  qos: 0 | 1;
  window: number;
  balancers: number;
}

const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const fixed = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : '–');
/** The projection's fleet: 100,000 boxes at one telemetry message a second. */
const PROJECTED_RATE = 100_000;
/** Each node kept at half a core at the real rate, as the single node's sustained target: room for a reconnect storm. */
const NODE_HEADROOM = 0.5;

/** The rep with the median rate (the lower middle for an even count): its CPU figures go with its rate. */
function medianRep(reps: SaturatedRep[]): SaturatedRep {
  return [...reps].sort((x, y) => x.rate - y.rate)[(reps.length - 1) >> 1]!;
}

/** CPU-seconds per 1,000 stored messages of the processes named, from one rep. */
function costPer1000(rep: SaturatedRep, names: string[]): number {
  const cores = names.reduce((sum, name) => sum + (rep.cpu[name] ?? Number.NaN) / 100, 0);
  return cores / (rep.rate / 1000);
}

const nodeNames = (run: ClusterRun) => Array.from({ length: run.nodes }, (_, i) => `node ${i + 1}`);

function tables(runs: ClusterRun[]): string[] {
  const main = runs.map((r) => {
    const rep = medianRep(r.reps);
    return (
      `| ${r.nodes} | ${r.boxesPerNode.map(int).join(' / ')} | ${fixed(r.connect.wallS, 1)} s | ${int(r.connect.medianMs)} / ${int(r.connect.p99Ms)} ms | ` +
      `${int(median(r.reps.map((x) => x.rate)))} | ${r.reps.map((x) => int(x.rate)).join(', ')} | ${int(rep.sent)} → ${int(rep.stored)} | ` +
      `${int(r.decisions.p50Ms)} / ${int(r.decisions.p99Ms)} ms (${r.decisions.decided}/${r.decisions.faults}) | ${int(r.decisions.backgroundRate)} |`
    );
  });
  const cpu = runs.map((r) => {
    const rep = medianRep(r.reps);
    const nodes = nodeNames(r);
    const pct = (name: string) => `${int(rep.cpu[name] ?? Number.NaN)}%`;
    return (
      `| ${r.nodes} | ${nodes.map(pct).join(' / ')} | ${fixed(costPer1000(rep, nodes) / r.nodes, 3)} | ${fixed(costPer1000(rep, nodes), 3)} | ` +
      `${pct('PostgreSQL')} (${fixed(costPer1000(rep, ['PostgreSQL']), 3)}) | ${pct('Redis')} (${fixed(costPer1000(rep, ['Redis']), 3)}) | ` +
      `${pct('HAProxy')} (${fixed(costPer1000(rep, ['HAProxy']), 3)}) | ${pct('load generator')} |`
    );
  });
  return [
    '#### Per node count',
    '',
    '| nodes | boxes per node | connect all | per connect median / p99 | stored msg/s (median) | per run | sent → stored (median run) | fault → decision p50 / p99 (decided) | telemetry meanwhile msg/s |',
    '|---:|---|---:|---:|---:|---|---|---:|---:|',
    ...main,
    '',
    '#### CPU during the saturated runs (median run), and per 1,000 stored msg/s',
    '',
    'CPU in % of one core over the sending window; in brackets and in the cost columns, CPU-seconds per 1,000 stored messages (= cores per 1,000 msg/s).',
    '',
    '| nodes | each node | per node per 1,000 msg/s (its share) | all nodes per 1,000 msg/s | PostgreSQL | Redis | HAProxy | load generator |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
    ...cpu,
  ];
}

function projection(runs: ClusterRun[]): string[] {
  const basis = runs.at(-1);
  if (!basis) return [];
  const rep = medianRep(basis.reps);
  const k = PROJECTED_RATE / 1000;
  const nodeCores = k * costPer1000(rep, nodeNames(basis));
  const nodes = Math.ceil(nodeCores / NODE_HEADROOM);
  const cores = (name: string) => k * costPer1000(rep, [name]);
  return [
    `#### Projection: 100,000 boxes at 1 msg/s (from the ${basis.nodes}-node run)`,
    '',
    `- Nodes: ${fixed(nodeCores, 1)} cores of node CPU at ${fixed(costPer1000(rep, nodeNames(basis)), 3)} CPU-s per 1,000 messages; ` +
      `kept at ${NODE_HEADROOM * 100} % of a core each: **${nodes} nodes**, ${int(PROJECTED_RATE / Math.max(1, nodes))} boxes each.`,
    `- PostgreSQL: ${fixed(cores('PostgreSQL'), 1)} cores; Redis: ${fixed(cores('Redis'), 2)} cores (one thread: over 0.7 would need sharding); HAProxy: ${fixed(cores('HAProxy'), 2)} cores.`,
    '- Assumptions: cost per message constant from the saturated rate down to 1 msg/s per box (at the real rate a node batches less, so it costs more per message: the single node sustained 10,000 boxes × 1/s at about 0.5 core, above what its saturated cost predicts); ' +
      'nodes spread evenly (leastconn); PostgreSQL as started here, fsync and synchronous_commit off, on loopback, so its share is a floor, and its disk (about 8.6 billion telemetry rows a day) is not measured; ' +
      'no TLS; every process, the load generator included, shares one machine, so a figure per CPU-second is more telling than a rate.',
    '- Not measured: memory per box on a node (see the ingest section), the reconnect storm through the balancer, retention and vacuum of the telemetry table, browsers and the HTTP API under load, a node failing under load.',
  ];
}

const METHOD = [
  '#### Method',
  '',
  'One PostgreSQL for the run (a fresh database per node count, `initdb --no-locale`, fsync off) and a fresh Redis per node count, as the tests start them (test/helpers/engines.ts).',
  'N processes of the compiled backend (`dist/services/main.js`) with DATABASE_URL, REDIS_URL, one BOX_SECRET_KEY, MQTT_PROXY_FROM=127.0.0.1 and each its own DATA_DIR; TELEMETRY_STORE is the default, so telemetry goes to the `telemetry` table in PostgreSQL.',
  "The balancer is two HAProxy processes bound to one port (Linux spreads connections over SO_REUSEPORT listeners, HAProxy's default): `ulimit -n` is capped at 20,000 here and each box holds two descriptors in HAProxy. MQTT is proxied as deploy/haproxy/haproxy.cfg does (tcp, leastconn, send-proxy-v2, checks on /api/ready).",
  'The load generator of the ingest benchmark (bench/load-generator.ts), one process, connects every box through the balancer in batches; "per connect" is each box\'s TCP connect to CONNACK. Boxes per node are read from the presence hash in Redis.',
  "Saturated runs: every box publishes as fast as its window allows; stored msg/s = rows counted in PostgreSQL's `telemetry` table from the first send to the last row stored. CPU of every process (/proc; PostgreSQL with all its backends) over the sending window after the warm-up.",
  "Fault → decision: faults at QoS 1 one at a time from separate fault boxes (bench/triage-clients.ts) through the balancer, while every telemetry box sends once a second; latency = the decision row's decided_at minus its fault's received_at (both the nodes' clocks on this machine).",
];

export function renderCluster(runs: ClusterRun[], info: RunInfo): string {
  return [
    CLUSTER_START,
    '',
    '## Many nodes behind HAProxy (latest run)',
    '',
    `- Machine: ${machine()}; shared with other work`,
    `- Date: ${new Date().toISOString().slice(0, 19)}Z, took ${Math.round(info.durationS)} s`,
    `- Command: \`${info.command}\``,
    `- ${int(info.boxes)} boxes, telemetry QoS ${info.qos}, window ${info.window}, ${info.balancers} HAProxy processes`,
    '',
    ...tables(runs),
    '',
    ...projection(runs),
    '',
    ...METHOD,
    '',
    CLUSTER_END,
  ].join('\n');
}
