import type { AuditEntry } from '../../platform/audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../../platform/db/index.ts';
import type { TicketPort } from '../diagnostics/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { LiveBus } from '../../remote-support/realtime/index.ts';
import type { PendingDeadline } from '../scheduler/index.ts';
import type { SupportQueue } from '../../kernel/support-queue.ts';
import type { ChargePart, ChargeRule as WarrantyChargeRule, DamageDegree } from '../warranty/index.ts';
import type { ExclusionId } from '../warranty/index.ts';
import type { Warranty } from '../warranty/index.ts';
import type { Actor, RmaState, RmaTicket, ChargeRule as TicketChargeRule, DamageDegree as TicketDamageDegree } from './domain/rma-ticket.ts';
import type { ActionAvailability, TicketActions, TicketMove } from './domain/rma-ticket-actions.ts';
import type { ParameterBackupPort } from './domain/parameter-backup-port.ts';
import type { RepairedPartsPort } from './domain/repaired-parts-port.ts';
import type { NewTicketInput } from './rma-opening.ts';
import type { StoredTicket } from './store/rma-store.ts';

/** No parameter backup of the box, or only one more than 7 days old. */
export type BackupWarning = 'missing' | 'stale';

/** A ticket as the API serves it: the domain object, the after-sales record, and today's warranty. */
export interface TicketView extends Omit<StoredTicket, 'ticket'> {
  id: number;
  ticket: RmaTicket;
  queue: SupportQueue;
  /** The reasons are data here; ticketViewIn renders them, and the clauses, in the reader's language. */
  warranty: Warranty | null;
  allowedTransitions: RmaState[];
  /** The moves accounts make from the current state, with their roles and summaries. */
  moves: TicketMove[];
  /** The action endpoints: possible now, and for whom; scope exclusions with the warranty's clauses. */
  actions: Omit<TicketActions, 'exclusions'> & {
    exclusions: ActionAvailability & {
      clauses: { id: ExclusionId; listed: boolean }[];
    };
  };
  /** Years a deadline was counted across without official holiday data: its date may move. */
  provisionalDeadlineYears: number[];
  /** The box's newest parameter snapshot, and whether it is recent enough to ship the box. */
  parameterBackup: {
    latest: { id: number; createdAt: number; reason: string } | null;
    fresh: boolean;
    /** Why the box must not ship yet, as a kind; ticketViewIn says it in the reader's language. */
    warning: BackupWarning | null;
  };
  audit: AuditEntry[];
}

/** Restore the pre-repair parameters (optionally from another snapshot), or waive it with a reason. */
export type ParameterRestoreRequest =
  | { action: 'restore'; backupId?: number | undefined; force?: boolean | undefined }
  | { action: 'waive'; reason: string };

export interface RmaService extends TicketPort {
  open(input: NewTicketInput, actor: Actor): Promise<TicketView>;
  get(id: number): Promise<TicketView>;
  /** Newest first; `beforeId` continues after the last ticket of the page before; `open` keeps the unfinished (true) or finished (false) ones. */
  list(filter: { serial?: string; state?: string; queue?: string; open?: boolean; beforeId?: number; limit: number }): Promise<TicketView[]>;
  transition(id: number, command: { to: RmaState; reason: string; payload?: unknown }, actor: Actor): Promise<TicketView>;
  writeRepairReport(
    id: number,
    report: { testResults: string; parts: ChargePart[]; damageDegree?: DamageDegree | undefined; freightFen?: number | undefined },
    reason: string,
    actor: Actor,
  ): Promise<TicketView>;
  decideExclusion(
    id: number,
    d: { exclusion: ExclusionId; decision: 'confirmed' | 'rejected' | 'added'; note: string },
    actor: Actor,
  ): Promise<TicketView>;
  standby(id: number, action: unknown, actor: Actor): Promise<TicketView>;
  /**
   * Puts the pre-repair parameters back on the repaired box and records the verified result,
   * or records that a person waived the restore.
   */
  restoreParameters(id: number, request: ParameterRestoreRequest, actor: Actor): Promise<TicketView>;
  /** Links the parameter snapshot taken for the ticket before the box shipped. */
  recordBackup(id: number, snapshotId: number): Promise<void>;
  addNote(id: number, text: string, actor: Actor): Promise<TicketView>;
  /** Records a remittance the customer reports (amount and reference) while the ticket awaits payment. */
  recordRemittance(id: number, report: { amountFen: number; reference: string }, actor: Actor): Promise<TicketView>;
  /** The scheduler's handler for `rma` deadlines; answers whether this call claimed it (another node may have). */
  fire(deadline: PendingDeadline): Promise<boolean>;
}

/** What the RMA service is built from (the composition root supplies it). */
export interface RmaServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  bus: LiveBus;
  calendar: CalendarService;
  /** Business hours to the first response (`FIRST_RESPONSE_HOURS`, our policy); 4 when absent. */
  firstResponseHours?: number;
  /** The box's repaired parts (the warranty capability), read and written in RMA's transactions. */
  repairedParts: RepairedPartsPort<Db>;
  /** The box's newest parameter snapshot (the parameter-backup capability), shown on the ticket. */
  backups: ParameterBackupPort;
  onBackupRequested?: (serial: string, ticketId: number) => void;
  /** Restores a parameter snapshot onto the box and reads it back (the parameter-backup capability). */
  restore?: (serial: string, backupId: number, force: boolean, actor: Actor) => Promise<{ verified: boolean; mismatches: Record<string, unknown> }>;
}

/** True only when two unions of words hold the same words. */
type SameWords<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * The ticket records warranty's bill in its own words (domain/rma-ticket.ts keeps the RMA
 * domain free of the warranty capability); this stops the build when the lists drift apart.
 */
export const TICKET_RECORDS_WARRANTY_WORDS: SameWords<TicketChargeRule, WarrantyChargeRule> & SameWords<TicketDamageDegree, DamageDegree> = true;
