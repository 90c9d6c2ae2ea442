import type { OpenRef } from '../domain/triage-facts.ts';
import type { Tx } from '../triage-ports.ts';
import type { NewDecision } from './decision-store.ts';

/** The keys a fault's facts are read by; the windows are receive times (box clocks drift). */
export interface FaultFactKey {
  deviceId: number;
  serial: string;
  code: string;
  model: string | null;
  firmware: string | null;
  repeatSince: number;
  fleetSince: number;
}

/** What the fault rules count and look up, as of this point in the decision's transaction. */
export interface FaultFactsRead {
  openCase: OpenRef;
  openTicket: OpenRef;
  openIncident: OpenRef;
  repeatsInWindow: number;
  closedRemoteCaseInWindow: boolean;
  fleetBoxes: number;
}

/**
 * The counts and open items triage decides from, and its writes, read and made inside the
 * transaction that stores the decision, so two faults triaged back to back see each other's cases.
 */
export interface TriageStatements {
  openCaseOf(deviceId: number): Promise<OpenRef>;
  openTicketOf(serial: string): Promise<OpenRef>;
  faultFacts(k: FaultFactKey): Promise<FaultFactsRead>;
  /** The model and firmware the box ran when it failed, and the decision's time, in one write. */
  stampFault(faultId: number, model: string | null, firmware: string | null, at: number): Promise<void>;
  markEventTriaged(eventId: number, at: number): Promise<void>;
  insertDecision(d: NewDecision): Promise<void>;
}

/** The statements bound to one decision transaction. */
export type TriageStatementsFor = (tx: Tx) => TriageStatements;
