import type { Selectable } from 'kysely';
import type { Clock } from '../../kernel/clock.ts';
import type { EvidenceType, FaultState, Severity } from '../../contract/payloads.ts';
import { dialectOf, type Db, type OpenedDatabase } from '../../platform/db/index.ts';
import type { EventTable, FaultTable } from '../../platform/db/index.ts';
import type { LiveEvent } from '../../remote-support/realtime/index.ts';
import type { CatalogIndex } from './domain/fault-catalog.ts';
import { triageEvidence, triageFault, type TriageDecision } from './domain/fault-triage.ts';
import { factWindows, type FactWindows, type TriageRules } from './domain/triage-rules.ts';
import { triageStatementsOf } from './store/open-triage-statements.ts';
import { boxLock, fleetLock, takeTriageLocks, type TriageLock } from './store/triage-locks.ts';
import type { TriageStatements } from './store/triage-statements.ts';
import { applyFaultDecision } from './triage-actions.ts';
import type { TicketPort, TriageDevice, Tx } from './triage-ports.ts';

export interface RowTriageDeps {
  db: Db;
  /** The database `db` opens, for the statements every decision runs (SQLite: on its raw handle). */
  database: OpenedDatabase;
  clock: Clock;
  catalog: CatalogIndex;
  rules: TriageRules;
  tickets: TicketPort;
  /** Model and firmware the box reported (shadow), falling back to the registry's. */
  device(deviceId: number): Promise<TriageDevice | null>;
}

/** One triaged row: when the broker stored it (null if there was nothing left to triage), and what to publish. */
export interface RowOutcome {
  receivedAt: number | null;
  live: LiveEvent[];
  afterCommit: Array<() => void>;
}

function decisionEvent(device: TriageDevice, d: TriageDecision, target: { kind: string; id: number } | null, now: number): LiveEvent {
  return {
    channel: 'devices',
    type: 'triage.decided',
    id: device.serial,
    at: now,
    data: { code: d.code, action: d.action, ruleId: d.ruleId, reason: d.reason, target },
  };
}

/** Everything the fault rules look at, read inside the decision's transaction so it cannot go stale. */
async function faultFacts(sql: TriageStatements, f: Selectable<FaultTable>, device: TriageDevice, now: number, windows: FactWindows) {
  return {
    serial: device.serial,
    model: device.model,
    firmware: device.firmware,
    faultId: f.fault_id,
    code: f.code,
    severity: f.severity as Severity,
    state: f.state as FaultState,
    ts: Number(f.ts),
    ...(await sql.faultFacts({
      deviceId: device.id,
      serial: device.serial,
      code: f.code,
      model: device.model,
      firmware: device.firmware,
      repeatSince: now - windows.repeatWindowMs,
      fleetSince: now - windows.fleetWindowMs,
    })),
  };
}

/** A committed fault or event waiting for its decision. */
export interface QueuedRow {
  kind: 'fault' | 'event';
  rowId: number;
}

const keyOf = (r: QueuedRow) => `${r.kind}:${r.rowId}`;

/** What a batch decided: one outcome per row taken, in queue order; `taken` rows leave the queue. */
export interface BatchOutcome {
  outcomes: Array<RowOutcome | null>;
  taken: number;
}

/**
 * The devices of queued rows, read before triage's transaction (the registry uses the same
 * single SQLite connection), once per box per batch. Devices read for rows a batch did not
 * reach are kept for the next batch, which takes those rows first.
 */
function createDeviceLookup(deps: Pick<RowTriageDeps, 'db' | 'device'>) {
  const looked = new Map<string, TriageDevice | null>();
  return {
    async of(rows: readonly QueuedRow[]): Promise<Map<string, TriageDevice | null>> {
      const missing = rows.filter((r) => !looked.has(keyOf(r)));
      const ids = (kind: QueuedRow['kind']) => missing.filter((r) => r.kind === kind).map((r) => r.rowId);
      const [faults, events] = [ids('fault'), ids('event')];
      const owners = [
        ...(faults.length
          ? (await deps.db.selectFrom('faults').select(['id', 'device_id']).where('id', 'in', faults).execute()).map((r) => ({
              key: `fault:${r.id}`,
              deviceId: r.device_id,
            }))
          : []),
        ...(events.length
          ? (await deps.db.selectFrom('events').select(['id', 'device_id']).where('id', 'in', events).execute()).map((r) => ({
              key: `event:${r.id}`,
              deviceId: r.device_id,
            }))
          : []),
      ];
      const devices = new Map<number, TriageDevice | null>();
      for (const o of owners) {
        if (!devices.has(o.deviceId)) devices.set(o.deviceId, await deps.device(o.deviceId));
        looked.set(o.key, devices.get(o.deviceId) ?? null);
      }
      return looked;
    },
    /** Forgets rows whose batch failed: they are looked up again when retried. */
    forget(rows: readonly QueuedRow[]): void {
      for (const r of rows) looked.delete(keyOf(r));
    },
  };
}

/**
 * The rows as stored, read inside the transaction that decides them. On PostgreSQL they are
 * locked until it commits: another node triaging the same row waits, then finds it triaged.
 */
async function rowsOf(tx: Tx, rows: readonly QueuedRow[]) {
  const ids = (kind: QueuedRow['kind']) => rows.filter((r) => r.kind === kind).map((r) => r.rowId);
  const [faultIds, eventIds] = [ids('fault'), ids('event')];
  // In id order, so two transactions locking overlapping rows cannot deadlock.
  const locked = <Q extends { forUpdate(): Q; orderBy(column: 'id'): Q }>(q: Q) => (dialectOf(tx) === 'postgres' ? q.orderBy('id').forUpdate() : q);
  const faults = faultIds.length ? await locked(tx.selectFrom('faults').selectAll().where('id', 'in', faultIds)).execute() : [];
  const events = eventIds.length ? await locked(tx.selectFrom('events').selectAll().where('id', 'in', eventIds)).execute() : [];
  return { faults: new Map(faults.map((f) => [f.id, f])), events: new Map(events.map((e) => [e.id, e])) };
}

/**
 * On PostgreSQL, the advisory locks of the boxes and fleets the batch's untriaged rows decide
 * about (store/triage-locks.ts), taken after the rows themselves are locked.
 */
async function lockWhatRowsDecide(
  tx: Tx,
  rows: readonly QueuedRow[],
  stored: Awaited<ReturnType<typeof rowsOf>>,
  devices: Map<string, TriageDevice | null>,
) {
  if (dialectOf(tx) !== 'postgres') return;
  const locks: TriageLock[] = [];
  for (const row of rows) {
    const device = devices.get(keyOf(row));
    const r = row.kind === 'fault' ? stored.faults.get(row.rowId) : stored.events.get(row.rowId);
    if (!device || !r || r.triaged_at !== null) continue;
    locks.push(boxLock(device.id));
    if (row.kind === 'fault' && device.model && device.firmware)
      locks.push(fleetLock((r as Selectable<FaultTable>).code, device.model, device.firmware));
  }
  await takeTriageLocks(tx, locks);
}

/**
 * Reads the facts, asks the pure triage rules, and commits the decision together with what it
 * opens or attaches. `triaged_at` is set in the same transaction, so a crash before the commit
 * leaves the row for resume().
 */
export function createRowTriage(deps: RowTriageDeps) {
  const statementsFor = triageStatementsOf(deps.database, deps.tickets.closedStates);
  const windows = factWindows(deps.rules);
  const lookup = createDeviceLookup(deps);

  async function decideFault(tx: Tx, sql: TriageStatements, f: Selectable<FaultTable>, device: TriageDevice, out: RowOutcome): Promise<void> {
    const now = deps.clock();
    // Stamped on the fault so fleet correlation counts what the box ran when it failed; marked
    // triaged in the same statement, as it commits (or not) with the decision.
    await sql.stampFault(f.id, device.model, device.firmware, now);
    const decision = triageFault(await faultFacts(sql, f, device, now, windows), deps.rules, deps.catalog);
    const ctx = {
      tx,
      d: decision,
      code: decision.code ?? 'UNKNOWN',
      device,
      now,
      faultTs: Number(f.ts),
      live: out.live,
      afterCommit: out.afterCommit,
    };
    const target = await applyFaultDecision(ctx, { tickets: deps.tickets, windows, sql });
    await sql.insertDecision({ deviceId: device.id, source: 'fault', sourceId: f.id, decision, target, at: now });
    out.live.push(decisionEvent(device, decision, target, now));
    out.receivedAt = Number(f.received_at);
  }

  async function decideEvent(tx: Tx, sql: TriageStatements, e: Selectable<EventTable>, device: TriageDevice, out: RowOutcome): Promise<void> {
    const now = deps.clock();
    const type = e.type as EvidenceType;
    const facts = {
      serial: device.serial,
      model: device.model,
      firmware: device.firmware,
      eventId: e.event_id,
      type,
      ts: Number(e.ts),
      openTicket: await sql.openTicketOf(device.serial),
    };
    const decision = triageEvidence(facts, deps.rules, deps.catalog);
    if (decision.action === 'attach-evidence' && decision.targetId !== null) {
      out.live.push(...(await deps.tickets.attachEvidence(tx, decision.targetId, { id: e.event_id, type, ts: facts.ts }, now)));
    }
    const target = decision.targetId === null ? null : { kind: decision.targetKind ?? 'ticket', id: decision.targetId };
    await sql.insertDecision({ deviceId: device.id, source: 'event', sourceId: e.id, decision, target, at: now });
    await sql.markEventTriaged(e.id, now);
    out.live.push(decisionEvent(device, decision, target, now));
    out.receivedAt = Number(e.received_at);
  }

  /**
   * Decides rows in queue order in one transaction, each reading the facts the ones before it
   * changed. Stops early once the transaction has held the connection for `maxMs`.
   */
  async function batch(rows: readonly QueuedRow[], maxMs: number): Promise<BatchOutcome> {
    const devices = await lookup.of(rows);
    try {
      return await deps.db.transaction().execute((tx) => decideInOrder(tx, rows, devices, deps.clock() + maxMs));
    } catch (err) {
      lookup.forget(rows);
      throw err;
    }
  }

  async function decideInOrder(
    tx: Tx,
    rows: readonly QueuedRow[],
    devices: Map<string, TriageDevice | null>,
    deadline: number,
  ): Promise<BatchOutcome> {
    const stored = await rowsOf(tx, rows);
    await lockWhatRowsDecide(tx, rows, stored, devices);
    const sql = statementsFor(tx);
    const outcomes: Array<RowOutcome | null> = [];
    // A row queued twice (live and by resume()) is decided once: the snapshot above predates its decision.
    const seen = new Set<string>();
    for (const row of rows) {
      if (outcomes.length > 0 && deps.clock() >= deadline) break;
      const device = devices.get(keyOf(row)) ?? null;
      devices.delete(keyOf(row));
      const out: RowOutcome = { receivedAt: null, live: [], afterCommit: [] };
      if (device && !seen.has(keyOf(row))) {
        seen.add(keyOf(row));
        const r = row.kind === 'fault' ? stored.faults.get(row.rowId) : stored.events.get(row.rowId);
        if (r && r.triaged_at === null) {
          if (row.kind === 'fault') await decideFault(tx, sql, r as Selectable<FaultTable>, device, out);
          else await decideEvent(tx, sql, r as Selectable<EventTable>, device, out);
        }
      }
      outcomes.push(device ? out : null);
    }
    return { outcomes, taken: outcomes.length };
  }

  /** One row in its own transaction: the fallback that isolates a row a batch failed on. */
  async function one(row: QueuedRow): Promise<RowOutcome | null> {
    return (await batch([row], Number.POSITIVE_INFINITY)).outcomes[0] ?? null;
  }

  return { batch, one };
}
