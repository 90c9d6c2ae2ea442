import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { type EngineServer, startPostgres, startRedis } from '../test/helpers/engines.ts';
import { createDeviceRegistry } from '../services/edge/registry/store/device-store.ts';
import { openDatabase } from '../services/platform/db/open-database.ts';
import { createBoxSecretHasher } from '../services/platform/security/box-secret-hash.ts';
import { writeSection } from './benchmarks-md.ts';
import { type Balancer, startBalancer } from './cluster-balancer.ts';
import { type CpuProbes, connectAll, faultToDecision, saturated } from './cluster-measure.ts';
import { type ClusterNode, startNode } from './cluster-node.ts';
import { CLUSTER_END, CLUSTER_START, renderCluster, type ClusterRun } from './cluster-report.ts';
import { type Child, startChild } from './ipc.ts';
import { cpuUsOf, findPid, treeCpuUs } from './process-cpu.ts';
import { guarded } from './target.ts';

/**
 * `npm run bench -- --cluster`: 1, 2 and 3 nodes behind HAProxy on one PostgreSQL and one Redis,
 * the same load generator and the same run for each (see the Method in cluster-report.ts).
 * Flags: --nodes 1,2,3  --boxes 10000  --seconds 8 (per saturated run)  --warmup 2  --reps 3
 *        --qos 0  --window auto|N  --batch 200 (boxes connecting at once)  --balancers 2 (HAProxy processes)
 *        --real-rate-seconds 10 (every box at 1 msg/s, for the CPU at the real rate)
 *        --faults 200  --fault-interval 25 (ms)  --fault-boxes 20  --no-write (leave BENCHMARKS.md alone)
 */

const { values: a } = parseArgs({
  options: {
    cluster: { type: 'boolean', default: true },
    nodes: { type: 'string', default: '1,2,3' },
    boxes: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    reps: { type: 'string', default: '3' },
    qos: { type: 'string', default: '0' },
    window: { type: 'string', default: 'auto' },
    batch: { type: 'string', default: '200' },
    balancers: { type: 'string', default: '2' },
    faults: { type: 'string', default: '200' },
    'fault-interval': { type: 'string', default: '25' },
    'fault-boxes': { type: 'string', default: '20' },
    'real-rate-seconds': { type: 'string', default: '10' },
    'no-write': { type: 'boolean', default: false },
  },
});

const nodeCounts = a.nodes.split(',').map((x) => Number(x.trim()));
const boxes = Number(a.boxes);
const qos = Number(a.qos) as 0 | 1;
// The ingest benchmark's `auto`: about 20,000 publishes in flight across the fleet, 4 to 20 per box.
const window = a.window === 'auto' ? Math.min(20, Math.max(4, Math.round(20_000 / boxes))) : Number(a.window);
const GENERATOR = fileURLToPath(new URL('./load-generator.ts', import.meta.url));
const FAULT_CLIENTS = fileURLToPath(new URL('./triage-clients.ts', import.meta.url));
const SHARED_SECRET = 'bench-shared-device-secret';
const started = Date.now();
const runs: ClusterRun[] = [];
let failure: unknown = null;

const postgres = await startPostgres();
const pgPid = findPid(`\0-p\0${postgres.port}\0`);
let generator: Child | null = null;
try {
  const gen = guarded(await startChild(GENERATOR), 'load generator');
  generator = gen;
  for (const n of nodeCounts) runs.push(await measureCluster(n, gen));
} catch (err) {
  failure = err;
} finally {
  await generator?.stop();
  await postgres.remove();
}

/** The boxes of the load generator, then the fault boxes, all registered with one shared secret. */
async function provision(databaseUrl: string, key: Buffer) {
  const opened = await openDatabase({ dataDir: tmpdir(), databaseUrl });
  const serials = Array.from({ length: boxes }, (_, i) => `MTB${String(i).padStart(10, '0')}`);
  const faultSerials = Array.from({ length: Number(a['fault-boxes']) }, (_, i) => `MTBFAULT${String(i).padStart(5, '0')}`);
  const secretHash = createBoxSecretHasher(key).hash(SHARED_SECRET);
  const result = await createDeviceRegistry(opened.db).createMany(
    [...serials, ...faultSerials].map((serial) => ({ input: { serial, model: 'MT-BOX-4G' }, secretHash })),
    Date.now(),
  );
  if (!result.ok) throw new Error(`already registered: ${result.error.serials.slice(0, 5).join(', ')}`);
  const creds = (list: string[]) => list.map((serial) => ({ serial, secret: SHARED_SECRET }));
  return { opened, creds: creds(serials), faultSerials, faultCreds: creds(faultSerials) };
}

/** Boxes each node holds, from where the cluster keeps presence in Redis (node id = host-pid-random). */
async function boxesPerNode(redisUrl: string, nodes: ClusterNode[]): Promise<number[]> {
  const client = new Redis(redisUrl);
  try {
    const held = Object.values(await client.hgetall('mtbox:presence'));
    return nodes.map((n) => held.filter((v) => v.includes(`-${n.pid}-`)).length);
  } finally {
    await client.quit();
  }
}

async function measureCluster(n: number, gen: Child): Promise<ClusterRun> {
  const databaseUrl = await postgres.createDatabase(`bench_${n}_nodes_${Date.now()}`);
  const key = randomBytes(32);
  let redis: EngineServer | null = null;
  const nodes: ClusterNode[] = [];
  let balancer: Balancer | null = null;
  let faultClients: Child | null = null;
  let opened: Awaited<ReturnType<typeof provision>>['opened'] | null = null;
  try {
    redis = await startRedis();
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      BOX_SECRET_KEY: key.toString('base64'),
      MQTT_PROXY_FROM: '127.0.0.1',
      ADMIN_PASSWORD: 'bench-admin-password-not-secret',
    };
    // One after the other: the first migrates the database and creates the admin account.
    for (let i = 0; i < n; i++) nodes.push(await startNode(env));
    const p = await provision(databaseUrl, key);
    opened = p.opened;
    balancer = await startBalancer(nodes, { processes: Number(a.balancers), boxes: boxes + p.faultCreds.length });
    const redisPid = findPid(`127.0.0.1:${redis.port}`);
    const haproxyPids = balancer.pids;
    const probes: CpuProbes = {
      ...Object.fromEntries(nodes.map((node, i) => [`node ${i + 1}`, () => cpuUsOf(node.pid)])),
      PostgreSQL: () => (pgPid === null ? Number.NaN : treeCpuUs(pgPid)),
      Redis: () => (redisPid === null ? Number.NaN : cpuUsOf(redisPid)),
      HAProxy: () => haproxyPids.reduce((sum, pid) => sum + cpuUsOf(pid), 0),
      'load generator': () => cpuUsOf(gen.pid),
    };
    const connect = await connectAll(gen, { port: balancer.port, creds: p.creds, batch: Number(a.batch), keepalive: 600 });
    const spread = await boxesPerNode(redis.url, nodes);
    const sockets = balancer.socketsPerProcess();
    log(
      `${n} node(s): ${boxes} boxes connected in ${connect.wallS.toFixed(1)} s (per connect median ${connect.medianMs.toFixed(0)} ms, p99 ${connect.p99Ms.toFixed(0)} ms), per node ${spread.join(' / ')}, HAProxy sockets per process ${sockets.join(' / ')}`,
    );
    const reps = [];
    for (let r = 0; r < Number(a.reps); r++) {
      const rep = await saturated(gen, p.opened.db, probes, { qos, seconds: Number(a.seconds), warmupS: Number(a.warmup), window });
      reps.push(rep);
      const cpu = Object.entries(rep.cpu).map(([name, pct]) => `${name} ${pct.toFixed(0)}%`);
      log(
        `${n} node(s) QoS${qos} W${window} #${r + 1}: ${rep.rate.toFixed(0)} stored msg/s, sent ${rep.sent}, stored ${rep.stored}; ${cpu.join(', ')}`,
      );
    }
    faultClients = guarded(await startChild(FAULT_CLIENTS), 'fault clients');
    await faultClients.call('connect', { url: `mqtt://127.0.0.1:${balancer.port}`, creds: p.faultCreds });
    const decisions = await faultToDecision(gen, faultClients, p.opened.db, probes, {
      serials: p.faultSerials,
      faults: Number(a.faults),
      intervalMs: Number(a['fault-interval']),
      quietS: Number(a['real-rate-seconds']),
    });
    log(
      `${n} node(s): ${decisions.decided}/${decisions.faults} faults decided, decision p50 ${decisions.p50Ms.toFixed(0)} ms, p99 ${decisions.p99Ms.toFixed(0)} ms ` +
        `with ${decisions.backgroundRate.toFixed(0)} msg/s telemetry`,
    );
    return { nodes: n, boxesPerNode: spread, haproxySockets: sockets, connect, reps, decisions };
  } finally {
    await faultClients?.call('close').catch(() => undefined);
    await faultClients?.stop();
    await gen.call('close').catch(() => undefined);
    await balancer?.stop();
    await Promise.allSettled(nodes.map((node) => node.stop()));
    await opened?.close();
    await redis?.remove();
  }
}

const command = ['npm run bench', '--', ...process.argv.slice(2)].join(' ');
const markdown = renderCluster(runs, { command, durationS: (Date.now() - started) / 1000, boxes, qos, window, balancers: Number(a.balancers) });
console.log(`\n${markdown}`);
if (failure) {
  console.error('\nThe cluster benchmark broke off, BENCHMARKS.md not written:', failure);
  process.exitCode = 1;
} else if (!a['no-write']) {
  await writeSection(CLUSTER_START, CLUSTER_END, markdown);
  log('BENCHMARKS.md written');
}

function log(line: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
}
