import type { Kysely } from 'kysely';
import type { EvidenceType } from '../../contract/payloads.ts';
import type { Database } from '../../platform/db/index.ts';
import type { LiveEvent } from '../../remote-support/realtime/index.ts';
import type { BusinessLine } from '../../kernel/business-line.ts';
import type { CatalogEntry } from './domain/fault-catalog.ts';

export type Tx = Kysely<Database>;

/** The device as triage sees it: registry data plus what the box itself reported. */
export interface TriageDevice {
  id: number;
  serial: string;
  model: string | null;
  firmware: string | null;
  businessLine: BusinessLine | null;
}

/** What diagnostics needs from the RMA capability; every call runs in triage's transaction. */
export interface TicketPort {
  closedStates: readonly string[];
  openFromTriage(
    tx: Tx,
    input: { device: TriageDevice; code: string; entry: CatalogEntry | null; reason: string; at: number; incidentId: number | null },
  ): Promise<{ id: number; live: LiveEvent[]; afterCommit: Array<() => void> }>;
  note(tx: Tx, ticketId: number, text: string, at: number): Promise<LiveEvent[]>;
  attachEvidence(tx: Tx, ticketId: number, event: { id: string; type: EvidenceType; ts: number }, at: number): Promise<LiveEvent[]>;
}
