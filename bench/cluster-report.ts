import { machine } from './benchmarks-md.ts';
import type { ConnectFigures, DecisionFigures, SaturatedRep } from './cluster-measure.ts';
import { median } from './measure.ts';

/** BENCHMARKS.md's section of `npm run bench -- --cluster`: the table per node count, the cost per message, the projection. */

export const CLUSTER_START = '<!-- cluster:start (written by npm run bench -- --cluster) -->';
export const CLUSTER_END = '<!-- cluster:end -->';

export interface ClusterRun {
  nodes: number;
  boxesPerNode: number[];
  /** Open sockets of each HAProxy process once every box is connected (two per box). */
  haproxySockets: number[];
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

/** CPU figures (% of one core per process) that went with a rate (msg/s). */
interface Load {
  cpu: Record<string, number>;
  rate: number;
}

const saturatedLoad = (r: ClusterRun): Load => medianRep(r.reps);
/** Every box at 1 msg/s before the faults: the rate the projection is for. */
const realRateLoad = (r: ClusterRun): Load => ({ cpu: r.decisions.cpu, rate: r.decisions.backgroundRate });

/** CPU-seconds per 1,000 messages of the processes named (= cores per 1,000 msg/s). */
function costPer1000(load: Load, names: string[]): number {
  const cores = names.reduce((sum, name) => sum + (load.cpu[name] ?? Number.NaN) / 100, 0);
  return cores / (load.rate / 1000);
}

const nodeNames = (run: ClusterRun) => Array.from({ length: run.nodes }, (_, i) => `node ${i + 1}`);

function tables(runs: ClusterRun[]): string[] {
  const main = runs.map((r) => {
    const rep = medianRep(r.reps);
    return (
      `| ${r.nodes} | ${r.boxesPerNode.map(int).join(' / ')} | ${r.haproxySockets.map(int).join(' / ')} | ${fixed(r.connect.wallS, 1)} s | ${int(r.connect.medianMs)} / ${int(r.connect.p99Ms)} ms | ` +
      `${int(median(r.reps.map((x) => x.rate)))} | ${r.reps.map((x) => int(x.rate)).join(', ')} | ${int(rep.sent)} → ${int(rep.stored)} | ` +
      `${int(r.decisions.p50Ms)} / ${int(r.decisions.p99Ms)} ms (${r.decisions.decided}/${r.decisions.faults}) | ${int(r.decisions.pubackP99Ms)} ms | ${int(r.decisions.backgroundRate)} |`
    );
  });
  const cpu = (label: string, of: (r: ClusterRun) => Load) =>
    runs.map((r) => {
      const load = of(r);
      const nodes = nodeNames(r);
      const pct = (name: string) => `${int(load.cpu[name] ?? Number.NaN)}%`;
      const cost = (names: string[]) => fixed(costPer1000(load, names), 3);
      return (
        `| ${r.nodes} | ${label} | ${int(load.rate)} | ${nodes.map(pct).join(' / ')} | ${fixed(costPer1000(load, nodes) / r.nodes, 3)} | ${cost(nodes)} | ` +
        `${pct('PostgreSQL')} (${cost(['PostgreSQL'])}) | ${pct('Redis')} (${cost(['Redis'])}) | ${pct('HAProxy')} (${cost(['HAProxy'])}) | ${pct('load generator')} |`
      );
    });
  return [
    '#### Per node count',
    '',
    '| nodes | boxes per node | HAProxy sockets per process | connect all | per connect median / p99 | stored msg/s (median) | per run | sent → stored (median run) | fault → decision p50 / p99 (decided) | fault PUBACK p99 | telemetry meanwhile msg/s |',
    '|---:|---|---|---:|---:|---:|---|---|---:|---:|---:|',
    ...main,
    '',
    '#### CPU per process, and per 1,000 msg/s',
    '',
    'CPU in % of one core: saturated = the median run over its sending window (rate = stored msg/s); real rate = every box sending once a second, before the faults (rate = sent msg/s). ' +
      'In brackets and in the cost columns, CPU-seconds per 1,000 messages (= cores per 1,000 msg/s); "its share" assumes the nodes share the messages evenly.',
    '',
    '| nodes | load | msg/s | each node | per node per 1,000 msg/s (its share) | all nodes per 1,000 msg/s | PostgreSQL | Redis | HAProxy | load generator |',
    '|---:|---|---:|---|---:|---:|---:|---:|---:|---:|',
    ...cpu('saturated', saturatedLoad),
    ...cpu('real rate', realRateLoad),
  ];
}

function projection(runs: ClusterRun[]): string[] {
  const basis = runs.at(-1);
  if (!basis) return [];
  const k = PROJECTED_RATE / 1000;
  const names = nodeNames(basis);
  const real = realRateLoad(basis);
  const nodeCores = k * costPer1000(real, names);
  const nodes = Math.ceil(nodeCores / NODE_HEADROOM);
  const cores = (name: string) => fixed(k * costPer1000(real, [name]), 2);
  return [
    `#### Projection: 100,000 boxes at 1 msg/s (from the ${basis.nodes}-node run at the real rate)`,
    '',
    `- Nodes: ${fixed(nodeCores, 1)} cores of node CPU at ${fixed(costPer1000(real, names), 3)} CPU-s per 1,000 messages; ` +
      `kept at ${NODE_HEADROOM * 100} % of a core each (room for a reconnect storm, as the single node's sustained target): **${nodes} nodes**, ${int(PROJECTED_RATE / Math.max(1, nodes))} boxes each. ` +
      `At the saturated cost (${fixed(costPer1000(saturatedLoad(basis), names), 3)}) it would be ${fixed(k * costPer1000(saturatedLoad(basis), names), 1)} cores: a node batches more when saturated.`,
    `- PostgreSQL: ${cores('PostgreSQL')} cores; Redis: ${cores('Redis')} cores (one thread: near one core it would need sharding); HAProxy: ${cores('HAProxy')} cores.`,
    `- Assumptions: cost per message constant from the measured ${int(real.rate / basis.nodes)} msg/s per node to the projected ${int(PROJECTED_RATE / Math.max(1, nodes))} ` +
      `(a node batches more writes when it takes more messages, so this is ${PROJECTED_RATE / Math.max(1, nodes) >= real.rate / basis.nodes ? 'an upper' : 'a lower'} bound of its cost); ` +
      'nodes spread evenly (leastconn); PostgreSQL as started here (fsync and synchronous_commit off, loopback), so its share is a floor, and its disk (8.6 billion telemetry rows a day) is not measured; ' +
      'no TLS; every process, the load generator included, shares one machine, so CPU per message is more telling than a rate.',
    '- Each process also has a cost that does not grow with messages (timers, keepalives, heartbeats, health checks): with a small fleet it dominates the real-rate cost and the projection overstates every share; only the full 10,000-box run is a basis for it.',
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
  'Real rate: every telemetry box sends once a second (QoS 0); CPU is read over `--real-rate-seconds` of that alone, after 1 s.',
  "Fault → decision: then faults at QoS 1 one at a time from separate fault boxes (bench/triage-clients.ts) through the balancer, while the telemetry goes on; latency = the decision row's decided_at minus its fault's received_at (both the nodes' clocks on this machine).",
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
