import { z } from 'zod';
import type { Edge, EdgeKeyOf, PayloadOf } from '../../ticket-core/domain/transition-table.ts';
import type { Role } from '../../../kernel/roles.ts';
import { CalendarDate } from '../../../kernel/calendar-date.ts';
import { Instant, MaintenanceService, OutOfScopeBasis, type PlatformState } from './platform-ticket.ts';

export type PlatformEdgeSpec = Edge<PlatformState, Role>;

const AFTER_SALES = ['admin', 'after-sales'] as const;
// Engineers do the platform repair and agree its timing with the customer.
const AFTER_SALES_OR_ENGINEER = ['admin', 'after-sales', 'engineer'] as const;
// Seed, "End": "notify the customer for confirmation": the customer answers in the portal (or the
// PMS with their account) whether it is fixed; staff keep the edges to record an answer given by phone.
const CUSTOMER_ANSWERS_REOPEN = [...AFTER_SALES_OR_ENGINEER, 'customer'] as const;
const CUSTOMER_ANSWERS_CLOSE = [...AFTER_SALES, 'customer'] as const;

const Note = z.string().trim().min(1).max(4000);

export const ConfirmPayload = z.strictObject({
  maintenancePeriodEndsOn: CalendarDate.optional(),
  service: MaintenanceService.optional(),
  note: Note.optional(),
});

export const OutOfScopePayload = z.strictObject({ basis: OutOfScopeBasis, solutionOffered: Note.optional() });

// Seed, "Repair": "repair the system problem according to the agreed time".
export const RepairPayload = z.strictObject({ solution: Note, agreedBy: Instant });

/**
 * `agreedBy` absent (the customer's own "not fixed" names no time): the new round gets as long
 * as the previous round was agreed to take, counted from now.
 */
export const ReopenPayload = z.strictObject({ customerReport: Note, agreedBy: Instant.optional(), solution: Note.optional() });

export const ResolvePayload = z.strictObject({ summary: Note });

const Empty = z.strictObject({});

/** Every legal move of a platform ticket: who may make it and what it must carry. */
// biome-ignore format: the rows line up
export const PLATFORM_TRANSITIONS = [
  { from: 'submitted', to: 'confirmed', roles: AFTER_SALES, payload: ConfirmPayload,
    summary: 'within the maintenance period and scope' },
  { from: 'submitted', to: 'out-of-scope', roles: AFTER_SALES, payload: OutOfScopePayload,
    summary: 'an exclusion applies or the maintenance period is over' },
  { from: 'confirmed', to: 'repairing', roles: AFTER_SALES_OR_ENGINEER, payload: RepairPayload,
    summary: 'problem and solution confirmed with the customer; repair time agreed' },
  { from: 'repairing', to: 'resolved', roles: AFTER_SALES_OR_ENGINEER, payload: ResolvePayload,
    summary: 'repair completed; the customer is asked to confirm' },
  { from: 'resolved', to: 'repairing', roles: CUSTOMER_ANSWERS_REOPEN, payload: ReopenPayload,
    summary: 'the customer reports it is not fixed; a new repair time is agreed' },
  { from: 'resolved', to: 'closed', roles: CUSTOMER_ANSWERS_CLOSE, payload: Empty,
    summary: 'the customer confirmed the repair' },
  { from: 'out-of-scope', to: 'closed', roles: AFTER_SALES, payload: Empty,
    summary: 'the customer was told why it is not covered' },
] as const satisfies readonly PlatformEdgeSpec[];

export type PlatformEdge = (typeof PLATFORM_TRANSITIONS)[number];
export type PlatformEdgeKey = EdgeKeyOf<PlatformEdge>;
export type PlatformPayloadOf<K extends PlatformEdgeKey> = PayloadOf<PlatformEdge, K>;
