import type BetterSqlite3 from 'better-sqlite3';
import { CLOSED_INCIDENT_STATES } from '../domain/fleet-incident.ts';
import { CLOSED_CASE_STATES } from '../domain/remote-case.ts';
import type { OpenRef } from '../domain/triage-facts.ts';
import { decisionRow, type NewDecision } from './decision-store.ts';
import type { FaultFactKey, TriageStatements } from './triage-statements.ts';

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * The counts and open items triage decides from, and its writes, read and made inside the
 * transaction that stores the decision, so two faults triaged back to back see each other's cases.
 * Prepared once on the raw better-sqlite3 handle and run synchronously inside triage's
 * transaction (the connection Kysely holds for it):
 * Kysely's building, compiling and promise hops per query cost more than SQLite's work here
 * (BENCHMARKS.md, fault → decision). Plain SQL that PostgreSQL runs as well
 * (postgres-triage-statements.ts); what is SQLite-only is the synchronous handle. The answers
 * are settled promises, so the one interface serves both.
 */
export function prepareTriageStatements(sqlite: BetterSqlite3.Database, closedTicketStates: readonly string[]): TriageStatements {
  const openCase = sqlite.prepare(
    `select "id" from "remote_cases" where "device_id" = ? and "state" not in (${marks(CLOSED_CASE_STATES.length)}) order by "id" desc limit 1`,
  );
  const openTicket = sqlite.prepare(
    `select "id" from "rma_tickets" where "serial" = ? and "state" not in (${marks(closedTicketStates.length)}) order by "id" desc limit 1`,
  );
  const openIncident = sqlite.prepare(
    `select "id" from "fleet_incidents" where "code" = ? and "model" = ? and "firmware" = ? and "state" not in (${marks(CLOSED_INCIDENT_STATES.length)}) order by "id" desc limit 1`,
  );
  const countRaises = sqlite
    .prepare(`select count(*) as "n" from "faults" where "device_id" = ? and "code" = ? and "state" = 'raised' and "received_at" >= ?`)
    .pluck();
  const resolvedCase = sqlite.prepare(
    `select "c"."id" from "remote_cases" as "c" where "c"."device_id" = ? and "c"."state" = 'resolved-remotely' and "c"."closed_at" >= ?
       and ("c"."code" = ? or exists (select "d"."id" from "triage_decisions" as "d"
         where "d"."target_id" = "c"."id" and "d"."target_kind" = 'case' and "d"."code" = ?)) limit 1`,
  );
  const countFleet = sqlite
    .prepare(
      `select count(distinct "device_id") as "n" from "faults" where "code" = ? and "model" = ? and "firmware" = ? and "state" = 'raised' and "received_at" >= ?`,
    )
    .pluck();
  const stampFault = sqlite.prepare(`update "faults" set "model" = ?, "firmware" = ?, "triaged_at" = ? where "id" = ?`);
  const markEvent = sqlite.prepare(`update "events" set "triaged_at" = ? where "id" = ?`);
  const insertDecision = sqlite.prepare(
    `insert into "triage_decisions" ("device_id", "source", "source_id", "code", "action", "target_kind", "target_id", "rule_id",
       "rules_version", "catalog_version", "reason", "reason_values", "facts", "decided_at")
     values (@device_id, @source, @source_id, @code, @action, @target_kind, @target_id, @rule_id,
       @rules_version, @catalog_version, @reason, @reason_values, @facts, @decided_at)`,
  );
  const ref = (row: unknown): OpenRef => (row ? { id: (row as { id: number }).id } : null);

  return {
    openCaseOf: async (deviceId: number): Promise<OpenRef> => ref(openCase.get(deviceId, ...CLOSED_CASE_STATES)),
    openTicketOf: async (serial: string): Promise<OpenRef> => ref(openTicket.get(serial, ...closedTicketStates)),
    async faultFacts(k: FaultFactKey) {
      const fleetKnown = k.model !== null && k.firmware !== null;
      return {
        openCase: ref(openCase.get(k.deviceId, ...CLOSED_CASE_STATES)),
        openTicket: ref(openTicket.get(k.serial, ...closedTicketStates)),
        openIncident: fleetKnown ? ref(openIncident.get(k.code, k.model, k.firmware, ...CLOSED_INCIDENT_STATES)) : null,
        repeatsInWindow: Number(countRaises.get(k.deviceId, k.code, k.repeatSince)),
        closedRemoteCaseInWindow: resolvedCase.get(k.deviceId, k.repeatSince, k.code, k.code) !== undefined,
        fleetBoxes: fleetKnown ? Number(countFleet.get(k.code, k.model, k.firmware, k.fleetSince)) : 0,
      };
    },
    stampFault: async (faultId: number, model: string | null, firmware: string | null, at: number) =>
      void stampFault.run(model, firmware, at, faultId),
    markEventTriaged: async (eventId: number, at: number) => void markEvent.run(at, eventId),
    insertDecision: async (d: NewDecision) => void insertDecision.run(decisionRow(d)),
  };
}
