import { z } from 'zod';
import type { Edge, EdgeKeyOf, PayloadOf } from '../../ticket-core/domain/transition-table.ts';
import type { Role } from '../../../kernel/roles.ts';
import { BusinessLine } from '../../../kernel/business-line.ts';
import { Fen } from '../../../kernel/money.ts';
import {
  CANCEL_RESOLUTIONS,
  CLOSURE_KINDS,
  Freight,
  RepairReportInput,
  ServiceRegistrationForm,
  Shipment,
  STANDARD_REPAIR_CYCLE_DAYS,
  WarrantyConfirmationInput,
  type RmaState,
} from './rma-ticket.ts';

/** `system` is the rules acting on a deadline; no account has that role. */
export type EdgeRole = Role | 'system';

export type RmaEdgeSpec = Edge<RmaState, EdgeRole>;

const AFTER_SALES = ['admin', 'after-sales'] as const;
const AFTER_SALES_OR_RULES = ['admin', 'after-sales', 'system'] as const;
const TECHNICIAN = ['admin', 'technician'] as const;
// Seed: the customer decides on the cost, ships the box in and confirms its return; the portal
// lets them make those moves themselves, and after-sales can still record them from a call.
const AFTER_SALES_OR_CUSTOMER = ['admin', 'after-sales', 'customer'] as const;
const DECIDERS_OR_RULES = ['admin', 'after-sales', 'customer', 'system'] as const;
// Engineers open tickets from remote sessions and close the ones they solved remotely.
const REGISTRAR = ['admin', 'after-sales', 'engineer'] as const;
// Seed: the maintenance personnel send a repaired box and its Repair Report straight back, and
// return an unrepaired one; after-sales may do it too.
const SHIPPER = ['admin', 'after-sales', 'technician'] as const;

const Empty = z.strictObject({});

// Seed, "Transportation cost": the return freight may be entered when the cost is confirmed.
export const CostConfirmationPayload = z.strictObject({ freight: Freight.optional() });

/** Customised products have their own repair cycle; standard ones keep the seed's 5 days. */
const RepairCycleFields = {
  customised: z.boolean().optional(),
  repairCycleDays: z.number().int().min(1).max(365).optional(),
};
export function refineRepairCycle(v: { customised?: boolean | undefined; repairCycleDays?: number | undefined }, ctx: z.RefinementCtx): void {
  if (v.customised === true && v.repairCycleDays === undefined) {
    ctx.addIssue({ code: 'custom', path: ['repairCycleDays'], message: 'a customised product needs its repair cycle' });
  }
  if (v.customised !== true && v.repairCycleDays !== undefined && v.repairCycleDays !== STANDARD_REPAIR_CYCLE_DAYS) {
    ctx.addIssue({
      code: 'custom',
      path: ['repairCycleDays'],
      message: `standard products repair in ${STANDARD_REPAIR_CYCLE_DAYS} working days`,
    });
  }
}

export const WarrantyConfirmedPayload = z
  .strictObject({
    warranty: WarrantyConfirmationInput,
    // After-sales completes the registration form on the call.
    form: ServiceRegistrationForm.optional(),
    businessLine: BusinessLine.optional(),
    ...RepairCycleFields,
  })
  .superRefine(refineRepairCycle);

export const CancelPayload = z.strictObject({ resolution: z.enum(CANCEL_RESOLUTIONS) });

export const InTransitPayload = z.strictObject({
  carrier: Shipment.shape.carrier,
  trackingNumber: Shipment.shape.trackingNumber,
  insured: z.boolean().optional(),
});

// Seed: customers should attach the registration form to the returned product.
export const ReceivedPayload = z.strictObject({ form: ServiceRegistrationForm.optional() });

export const DiagnosedPayload = z.strictObject({ report: RepairReportInput });

export const PaymentPayload = z.strictObject({
  payment: z.strictObject({ amountFen: Fen, reference: z.string().trim().min(1).max(200) }),
});

export const TestResultsPayload = z.strictObject({ testResults: z.string().trim().min(1).max(8000) });

export const ClosePayload = z.strictObject({ closure: z.enum(CLOSURE_KINDS) });

/**
 * Every legal move of an RMA ticket: who may make it and what it must carry. The checks,
 * the tests and the API documentation all read these rows.
 */
// biome-ignore format: the rows line up
export const RMA_TRANSITIONS = [
  { from: 'registered', to: 'warranty-confirmed', roles: AFTER_SALES, payload: WarrantyConfirmedPayload,
    summary: 'after-sales confirms warranty period and scope and recommends transport insurance' },
  { from: 'registered', to: 'cancelled', roles: REGISTRAR, payload: CancelPayload,
    summary: 'solved remotely or withdrawn before anything was shipped' },
  { from: 'warranty-confirmed', to: 'awaiting-product', roles: AFTER_SALES, payload: Empty,
    summary: 'shipping instructions given to the customer' },
  { from: 'warranty-confirmed', to: 'cancelled', roles: REGISTRAR, payload: CancelPayload,
    summary: 'solved remotely or withdrawn before anything was shipped' },
  { from: 'awaiting-product', to: 'in-transit', roles: AFTER_SALES_OR_CUSTOMER, payload: InTransitPayload,
    summary: 'the customer shipped the box: carrier and tracking number' },
  { from: 'awaiting-product', to: 'cancelled', roles: REGISTRAR, payload: CancelPayload,
    summary: 'solved remotely or withdrawn before anything was shipped' },
  { from: 'in-transit', to: 'received', roles: TECHNICIAN, payload: ReceivedPayload,
    summary: 'the box arrived; the repair cycle starts' },
  { from: 'received', to: 'diagnosed', roles: TECHNICIAN, payload: DiagnosedPayload,
    summary: 'the technician writes the Repair Report: test results, parts, charges' },
  { from: 'diagnosed', to: 'repairing', roles: TECHNICIAN, payload: Empty,
    summary: 'a free repair starts at once' },
  { from: 'diagnosed', to: 'awaiting-decision', roles: AFTER_SALES, payload: CostConfirmationPayload,
    summary: 'after-sales sends the Repair Report and confirms the cost with the customer' },
  { from: 'awaiting-decision', to: 'awaiting-payment', roles: AFTER_SALES_OR_CUSTOMER, payload: Empty,
    summary: 'the customer accepted the cost' },
  { from: 'awaiting-decision', to: 'postponed', roles: AFTER_SALES_OR_RULES, payload: Empty,
    summary: 'no decision within 5 working days: moved to the next maintenance cycle' },
  { from: 'awaiting-decision', to: 'returned-unrepaired', roles: DECIDERS_OR_RULES, payload: Empty,
    summary: 'the customer declined, or no payment within 30 working days of the report' },
  { from: 'postponed', to: 'awaiting-decision', roles: AFTER_SALES, payload: Empty,
    summary: 'the customer came back to discuss the report' },
  { from: 'postponed', to: 'awaiting-payment', roles: AFTER_SALES_OR_CUSTOMER, payload: Empty,
    summary: 'the customer accepted the cost' },
  { from: 'postponed', to: 'returned-unrepaired', roles: DECIDERS_OR_RULES, payload: Empty,
    summary: 'the customer declined, or no payment within 30 working days of the report' },
  { from: 'awaiting-payment', to: 'repairing', roles: AFTER_SALES, payload: PaymentPayload,
    summary: 'remittance received; after-sales tells the technician to start' },
  { from: 'awaiting-payment', to: 'returned-unrepaired', roles: AFTER_SALES_OR_RULES, payload: Empty,
    summary: 'the customer withdrew, or no payment within 30 working days of the report' },
  { from: 'repairing', to: 'repaired', roles: TECHNICIAN, payload: Empty,
    summary: 'repair done; the repair cycle stops' },
  { from: 'repaired', to: 'tested', roles: TECHNICIAN, payload: TestResultsPayload,
    summary: 'final test passed' },
  { from: 'repaired', to: 'repairing', roles: TECHNICIAN, payload: TestResultsPayload,
    summary: 'final test failed; back to the bench' },
  { from: 'tested', to: 'shipped-back', roles: SHIPPER, payload: Shipment,
    summary: 'repaired box and Repair Report shipped back' },
  { from: 'returned-unrepaired', to: 'shipped-back', roles: SHIPPER, payload: Shipment,
    summary: 'unrepaired box shipped back' },
  { from: 'shipped-back', to: 'closed', roles: AFTER_SALES_OR_CUSTOMER, payload: ClosePayload,
    summary: 'the customer confirmed receipt, or the feedback week passed' },
] as const satisfies readonly RmaEdgeSpec[];

export type RmaEdge = (typeof RMA_TRANSITIONS)[number];
/** `from->to` of every legal move. */
export type RmaEdgeKey = EdgeKeyOf<RmaEdge>;
/** The parsed payload an edge carries. */
export type RmaPayloadOf<K extends RmaEdgeKey> = PayloadOf<RmaEdge, K>;
