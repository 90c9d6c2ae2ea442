import { type RawBuilder, sql } from 'kysely';
import { CLOSED_INCIDENT_STATES } from '../domain/fleet-incident.ts';
import { CLOSED_CASE_STATES } from '../domain/remote-case.ts';
import type { OpenRef } from '../domain/triage-facts.ts';
import type { Tx } from '../triage-ports.ts';
import { decisionRow, type NewDecision } from './decision-store.ts';
import type { FaultFactKey, TriageStatements, TriageStatementsFor } from './triage-statements.ts';

const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`));

type IdRow = { id: number };
type CountRow = { n: number };

async function firstId(tx: Tx, query: RawBuilder<IdRow>): Promise<OpenRef> {
  const { rows } = await query.execute(tx);
  return rows[0] ? { id: rows[0].id } : null;
}

async function count(tx: Tx, query: RawBuilder<CountRow>): Promise<number> {
  const { rows } = await query.execute(tx);
  return Number(rows[0]?.n ?? 0);
}

/**
 * The same statements as sqlite-triage-statements.ts, awaited on the decision's transaction
 * (PostgreSQL has no synchronous handle to share with it).
 */
export function postgresTriageStatements(closedTicketStates: readonly string[]): TriageStatementsFor {
  return (tx: Tx): TriageStatements => {
    const openCaseOf = (deviceId: number) =>
      firstId(
        tx,
        sql<IdRow>`select "id" from "remote_cases" where "device_id" = ${deviceId} and "state" not in (${list(CLOSED_CASE_STATES)}) order by "id" desc limit 1`,
      );
    const openTicketOf = (serial: string) =>
      firstId(
        tx,
        sql<IdRow>`select "id" from "rma_tickets" where "serial" = ${serial} and "state" not in (${list(closedTicketStates)}) order by "id" desc limit 1`,
      );
    return {
      openCaseOf,
      openTicketOf,
      async faultFacts(k: FaultFactKey) {
        const fleetKnown = k.model !== null && k.firmware !== null;
        const openCase = await openCaseOf(k.deviceId);
        const openTicket = await openTicketOf(k.serial);
        const openIncident = fleetKnown
          ? await firstId(
              tx,
              sql<IdRow>`select "id" from "fleet_incidents" where "code" = ${k.code} and "model" = ${k.model} and "firmware" = ${k.firmware}
                and "state" not in (${list(CLOSED_INCIDENT_STATES)}) order by "id" desc limit 1`,
            )
          : null;
        const repeatsInWindow = await count(
          tx,
          sql<CountRow>`select count(*) as "n" from "faults" where "device_id" = ${k.deviceId} and "code" = ${k.code} and "state" = 'raised' and "received_at" >= ${k.repeatSince}`,
        );
        const resolved = await firstId(
          tx,
          sql<IdRow>`select "c"."id" from "remote_cases" as "c" where "c"."device_id" = ${k.deviceId} and "c"."state" = 'resolved-remotely' and "c"."closed_at" >= ${k.repeatSince}
            and ("c"."code" = ${k.code} or exists (select "d"."id" from "triage_decisions" as "d"
              where "d"."target_id" = "c"."id" and "d"."target_kind" = 'case' and "d"."code" = ${k.code})) limit 1`,
        );
        const fleetBoxes = fleetKnown
          ? await count(
              tx,
              sql<CountRow>`select count(distinct "device_id") as "n" from "faults" where "code" = ${k.code} and "model" = ${k.model} and "firmware" = ${k.firmware}
                and "state" = 'raised' and "received_at" >= ${k.fleetSince}`,
            )
          : 0;
        return { openCase, openTicket, openIncident, repeatsInWindow, closedRemoteCaseInWindow: resolved !== null, fleetBoxes };
      },
      async stampFault(faultId: number, model: string | null, firmware: string | null, at: number) {
        await tx.updateTable('faults').set({ model, firmware, triaged_at: at }).where('id', '=', faultId).execute();
      },
      async markEventTriaged(eventId: number, at: number) {
        await tx.updateTable('events').set({ triaged_at: at }).where('id', '=', eventId).execute();
      },
      async insertDecision(d: NewDecision) {
        await tx.insertInto('triage_decisions').values(decisionRow(d)).execute();
      },
    };
  };
}
