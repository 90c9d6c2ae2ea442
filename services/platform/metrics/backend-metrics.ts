import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { collectStoppableDefaultMetrics } from './stoppable-default-metrics.ts';

/** What the MQTT edge counts (the broker's own counters, read at scrape time). */
export interface EdgeFigures {
  connected: number;
  /** CONNECTs the broker accepted since start. */
  connectsAccepted: number;
  /** Refused connections and packets by reason (broker/refusals.ts). */
  refusals: Readonly<Record<string, number>>;
  /** Accepted messages by channel, indexed by QoS (0, 1, 2). */
  messages: Readonly<Record<string, readonly number[]>>;
  /** Payloads refused by reason (the contract's rejection reasons). */
  rejected: Readonly<Record<string, number>>;
}

/** The InfluxDB spool and its forwarder; null fields are not known yet (before the spool thread's first report). */
export interface SpoolFigures {
  points: number | null;
  bytes: number | null;
  oldestAgeS: number | null;
  forwarded: number;
  setAside: number | null;
}

/**
 * Where the figures come from, each read when Prometheus scrapes, so nothing is counted twice
 * and the message path carries no metrics code of its own. The composition root wires them.
 */
export interface MetricSources {
  edge(): EdgeFigures | null;
  diagnostics(): { decided: number; failed: number; pending: number };
  /** Open tickets by process (`rma`, `platform`) and state: one grouped count per table. */
  openTickets(): Promise<ReadonlyArray<{ process: string; state: string; n: number }>>;
  socketioClients(): number;
  /** Null until known, and always with the SQLite store. */
  spool(): SpoolFigures | null;
  /** The database backups (platform/backup); null before the schedule started. */
  backups(): BackupFigures | null;
  /** Remote commands by final outcome since start (command-service.ts outcomes()). */
  commands(): Readonly<Record<string, number>>;
  /** Telemetry points taken and not yet written by the SQLite writer thread; null without one. */
  telemetryQueue(): number | null;
  /** Pending deadlines by kind: due within the next 24 h, and past due but not fired (deadlines.ts deadlineCounts). */
  deadlines(): Promise<ReadonlyArray<{ kind: string; due: number; overdue: number }>>;
}

/** How the backups have gone: the newest in BACKUP_DIR, and this process's scheduled ones by result. */
export interface BackupFigures {
  lastSuccessAt: number | null;
  taken: { ok: number; failed: number };
}

/** What `mtbox_node_info` says about this process. */
export interface NodeInfo {
  node: string;
  version: string;
}

export interface BackendMetrics {
  /** The text exposition format, and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
  /** A triage decision committed this long after its fault was stored. */
  observeDecision(latencyMs: number): void;
  /** The SQLite writer thread wrote a batch of `points` in `seconds` (its acknowledgement's figures). */
  observeTelemetryBatch(points: number, seconds: number): void;
  /** Stops the process watchers of the default metrics; nothing of the metrics runs afterwards. */
  stop(): void;
}

/**
 * Decision latency buckets, seconds: a few milliseconds one at a time, about 0.6 s for a burst
 * of 2,000 faults from 200 boxes (BENCHMARKS.md, "Fault → decision latency").
 */
const DECISION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Points per written batch: a few under light load (the 250 ms flush), up to the 1,000-row batch under a burst. */
const BATCH_POINT_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000];

/** Seconds per batch transaction: from a fraction of a millisecond for a few rows to a second for a stalled disk. */
const WRITE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * The backend's Prometheus metrics, in a registry of their own (not prom-client's global one),
 * so several backends in one process (the tests) each expose only their own. Besides the
 * process figures of prom-client's default metrics (prefixed `mtbox_`), every value is read from
 * the services' existing counters when scraped.
 */
export function createBackendMetrics(sources: MetricSources, opts: { spool: boolean; node: NodeInfo }): BackendMetrics {
  const registry = new Registry();
  const defaults = collectStoppableDefaultMetrics(registry, 'mtbox_');
  const decisions = new Histogram({
    name: 'mtbox_fault_decision_seconds',
    help: 'Time from a fault or event being stored to its triage decision being committed',
    buckets: DECISION_BUCKETS,
    registers: [registry],
  });
  // The SQLite writer thread's figures; the InfluxDB spool has metrics of its own (below).
  const writer = opts.spool ? null : registerWriterHistograms(registry);
  new Gauge({
    name: 'mtbox_node_info',
    help: 'This node (its host name) and the MT-BOX Care version it runs; always 1',
    labelNames: ['node', 'version'],
    registers: [registry],
  }).set({ node: opts.node.node, version: opts.node.version }, 1);
  registerEdgeMetrics(registry, sources);
  registerServiceMetrics(registry, sources);
  registerWorkMetrics(registry, sources, { writer: !opts.spool });
  // Only with TELEMETRY_STORE=influxdb: with SQLite there is no spool to describe.
  if (opts.spool) registerSpoolMetrics(registry, sources);
  registerBackupMetrics(registry, sources);
  return {
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    observeDecision: (ms) => decisions.observe(ms / 1000),
    observeTelemetryBatch(points, seconds) {
      writer?.batchPoints.observe(points);
      writer?.writeSeconds.observe(seconds);
    },
    stop: () => defaults.stop(),
  };
}

/** The SQLite writer thread's batches, observed from its acknowledgements (not per message). */
function registerWriterHistograms(registry: Registry) {
  const batchPoints = new Histogram({
    name: 'mtbox_telemetry_batch_points',
    help: 'Telemetry points per batch the SQLite writer thread wrote',
    buckets: BATCH_POINT_BUCKETS,
    registers: [registry],
  });
  const writeSeconds = new Histogram({
    name: 'mtbox_telemetry_write_seconds',
    help: 'Time the SQLite writer thread took to write one telemetry batch',
    buckets: WRITE_BUCKETS,
    registers: [registry],
  });
  return { batchPoints, writeSeconds };
}

/** Commands, the telemetry writer's queue and the deadlines, each read at scrape time. */
function registerWorkMetrics(registry: Registry, sources: MetricSources, opts: { writer: boolean }): void {
  totalsCounter(
    registry,
    {
      name: 'mtbox_commands_total',
      help: 'Remote commands by final outcome: succeeded, failed, timed-out, offline',
      labelNames: ['outcome'],
    },
    () => Object.entries(sources.commands()).map(([outcome, n]): [Record<string, string>, number] => [{ outcome }, n]),
  );
  if (opts.writer) {
    new Gauge({
      name: 'mtbox_telemetry_queue_points',
      help: 'Telemetry points taken and not yet written by the SQLite writer thread',
      registers: [registry],
      collect() {
        const n = sources.telemetryQueue();
        if (n !== null) this.set(n);
      },
    });
  }
  // One query answers both gauges: their collects run side by side in a scrape and share it.
  let inFlight: ReturnType<MetricSources['deadlines']> | null = null;
  const deadlines = () => {
    inFlight ??= sources.deadlines().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
  const deadlineGauge = (name: string, help: string, read: (r: { due: number; overdue: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['kind'],
      registers: [registry],
      async collect() {
        const rows = await deadlines();
        // A kind with none left disappears rather than keeping its old count.
        this.reset();
        for (const r of rows) this.set({ kind: r.kind }, read(r));
      },
    });
  deadlineGauge('mtbox_deadlines_due', 'Pending deadlines falling due within the next 24 hours, by kind', (r) => r.due);
  deadlineGauge('mtbox_deadlines_overdue', 'Pending deadlines past their due time that the scheduler has not fired yet, by kind', (r) => r.overdue);
}

/**
 * A counter whose running totals are kept elsewhere (the broker's and diagnostics' own
 * counters, which only go up): each scrape sets it to them. `read` answers the totals by label
 * set; null leaves the counter as it was (the source is not there yet).
 */
function totalsCounter(
  registry: Registry,
  spec: { name: string; help: string; labelNames?: string[] },
  read: () => ReadonlyArray<[Record<string, string>, number]> | null,
): void {
  new Counter({
    ...spec,
    registers: [registry],
    collect() {
      const totals = read();
      if (totals === null) return;
      this.reset();
      for (const [labels, n] of totals) this.inc(labels, n);
    },
  });
}

function registerEdgeMetrics(registry: Registry, sources: MetricSources): void {
  new Gauge({
    name: 'mtbox_boxes_connected',
    help: 'Boxes with an open MQTT connection',
    registers: [registry],
    collect() {
      this.set(sources.edge()?.connected ?? 0);
    },
  });
  const edge = <T>(read: (e: EdgeFigures) => T): T | null => {
    const e = sources.edge();
    return e ? read(e) : null;
  };
  totalsCounter(
    registry,
    { name: 'mtbox_mqtt_connects_total', help: 'MQTT connections answered: accepted, or refused by reason', labelNames: ['result'] },
    () =>
      edge((e) => [
        [{ result: 'accepted' }, e.connectsAccepted],
        ...Object.entries(e.refusals).map(([result, n]): [Record<string, string>, number] => [{ result }, n]),
      ]),
  );
  totalsCounter(
    registry,
    { name: 'mtbox_messages_total', help: 'Messages accepted from boxes, by channel and QoS', labelNames: ['channel', 'qos'] },
    () =>
      edge((e) =>
        Object.entries(e.messages).flatMap(([channel, byQos]) =>
          byQos.map((n, qos): [Record<string, string>, number] => [{ channel, qos: String(qos) }, n]),
        ),
      ),
  );
  totalsCounter(
    registry,
    {
      name: 'mtbox_payloads_rejected_total',
      help: 'Messages from boxes refused for a payload that breaks the contract, by reason',
      labelNames: ['reason'],
    },
    () => edge((e) => Object.entries(e.rejected).map(([reason, n]): [Record<string, string>, number] => [{ reason }, n])),
  );
}

function registerServiceMetrics(registry: Registry, sources: MetricSources): void {
  totalsCounter(
    registry,
    {
      name: 'mtbox_triage_decisions_total',
      help: 'Triage of stored faults and events: decided, or failed (retried at the next start)',
      labelNames: ['result'],
    },
    () => {
      const d = sources.diagnostics();
      return [
        [{ result: 'decided' }, d.decided],
        [{ result: 'failed' }, d.failed],
      ];
    },
  );
  new Gauge({
    name: 'mtbox_triage_pending',
    help: 'Stored faults and events waiting for their triage decision',
    registers: [registry],
    collect() {
      this.set(sources.diagnostics().pending);
    },
  });
  new Gauge({
    name: 'mtbox_tickets_open',
    help: 'Tickets not yet closed or cancelled, by process (rma, platform) and state',
    labelNames: ['process', 'state'],
    registers: [registry],
    async collect() {
      const rows = await sources.openTickets();
      // A state that emptied since the last scrape disappears rather than keeping its old count.
      this.reset();
      for (const r of rows) this.set({ process: r.process, state: r.state }, r.n);
    },
  });
  new Gauge({
    name: 'mtbox_socketio_clients',
    help: 'Dashboard browsers connected over socket.io',
    registers: [registry],
    collect() {
      this.set(sources.socketioClients());
    },
  });
}

function registerSpoolMetrics(registry: Registry, sources: MetricSources): void {
  const gauge = (name: string, help: string, read: (s: SpoolFigures) => number | null) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const s = sources.spool();
        const v = s ? read(s) : null;
        if (v !== null) this.set(v);
      },
    });
  gauge('mtbox_telemetry_spool_points', 'Telemetry points in the local spool, not yet acknowledged by InfluxDB', (s) => s.points);
  gauge('mtbox_telemetry_spool_bytes', 'Disk the spool uses, bytes', (s) => s.bytes);
  gauge('mtbox_telemetry_spool_oldest_age_seconds', 'Age of the oldest point still in the spool (0 when it is empty)', (s) =>
    s.points === 0 ? 0 : s.oldestAgeS,
  );
  const total = (name: string, help: string, read: (s: SpoolFigures) => number | null) =>
    totalsCounter(registry, { name, help }, () => {
      const s = sources.spool();
      const v = s ? read(s) : null;
      return v === null ? null : [[{}, v]];
    });
  total('mtbox_telemetry_forwarded_total', 'Telemetry points InfluxDB acknowledged since start', (s) => s.forwarded);
  total('mtbox_telemetry_set_aside_total', 'Telemetry points InfluxDB refused for good, kept aside in the spool', (s) => s.setAside);
}

function registerBackupMetrics(registry: Registry, sources: MetricSources): void {
  new Gauge({
    name: 'mtbox_backup_last_success_timestamp_seconds',
    help: 'When the newest backup in BACKUP_DIR was taken (scheduled or on demand), Unix seconds; 0 when there is none',
    registers: [registry],
    collect() {
      const at = sources.backups()?.lastSuccessAt ?? null;
      this.set(at === null ? 0 : at / 1000);
    },
  });
  totalsCounter(
    registry,
    { name: 'mtbox_backups_total', help: 'Scheduled backups this process took since start, by result (ok, failed)', labelNames: ['result'] },
    () => {
      const b = sources.backups();
      return b
        ? [
            [{ result: 'ok' }, b.taken.ok],
            [{ result: 'failed' }, b.taken.failed],
          ]
        : null;
    },
  );
}
