import { z } from 'zod';
import { Role } from '../../../kernel/roles.ts';
import { EpochMs } from '../../../contract/payloads.ts';
import { BusinessLine } from '../../../kernel/business-line.ts';
import { CalendarDate } from '../../../kernel/calendar-date.ts';
import { Serial } from '../../../contract/serial.ts';
import { Fen } from '../../../kernel/money.ts';
import { ExclusionId } from '../../../kernel/warranty-exclusion.ts';

/*
 * The bill is the warranty capability's rule (warranty/domain/costs.ts computes it); the ticket
 * only records it, so it declares the words it records; rma-service-types.ts fails to compile
 * when these lists and warranty's drift apart.
 */
/** How the repair is charged, as the warranty rules decided. */
export const ChargeRule = z.enum(['free', 'parts-only', 'parts-and-fee']);
export type ChargeRule = z.infer<typeof ChargeRule>;
/** The technician's assessment, from which out-of-warranty fees follow. */
export const DamageDegree = z.enum(['minor', 'moderate', 'severe']);
export type DamageDegree = z.infer<typeof DamageDegree>;

/**
 * The after-sales maintenance process of the seed, one state per step:
 * contact → warranty confirmed → product sent → both parties confirm cost → repair → return.
 */
export const RMA_STATES = [
  'registered',
  'warranty-confirmed',
  'awaiting-product',
  'in-transit',
  'received',
  'diagnosed',
  'awaiting-decision',
  'awaiting-payment',
  'postponed',
  'repairing',
  'repaired',
  'tested',
  'shipped-back',
  'returned-unrepaired',
  'closed',
  'cancelled',
] as const;
export const RmaState = z.enum(RMA_STATES);
export type RmaState = z.infer<typeof RmaState>;

export const TERMINAL_STATES: readonly RmaState[] = ['closed', 'cancelled'];

// Seed: "the standard product repair cycle is 5 working days"; customised products are
// "calculated separately".
export const STANDARD_REPAIR_CYCLE_DAYS = 5;

/** Epoch milliseconds. */
export const Instant = EpochMs;

const Text = (max: number) => z.string().trim().min(1).max(max);

/**
 * The seed's "After sales Service Registration Form". Everything is optional: a ticket
 * opened by diagnostics knows the serial and little else until after-sales calls back.
 */
export const ServiceRegistrationForm = z.strictObject({
  customerName: Text(200).optional(),
  contacts: Text(200).optional(),
  mailingAddress: Text(500).optional(),
  contactNumber: Text(64).optional(),
  productModel: Text(64).optional(),
  serialNumber: Serial.optional(),
  // What the customer believes; after-sales' confirmation is `RmaTicket.warranty`.
  inWarranty: z.boolean().nullable().optional(),
  previousRepairs: z.number().int().min(0).max(1000).optional(),
  faultPhenomenon: Text(4000).optional(),
  suggestions: Text(4000).optional(),
});
export type ServiceRegistrationForm = z.infer<typeof ServiceRegistrationForm>;

/** One part of the Repair Report, free or charged and why (the warranty module decides). */
export const ChargeLine = z.strictObject({
  name: z.string(),
  qty: z.number().int().min(1),
  unitCostFen: Fen,
  chargedFen: Fen,
  basis: z.enum(['box-warranty', 'part-warranty', 'excluded', 'out-of-warranty']),
  why: z.string().max(1000),
});
export type ChargeLine = z.infer<typeof ChargeLine>;

/** Seed, "Transportation cost": borne by the customer both ways; the return freight when entered. */
export const Freight = z.strictObject({
  paidBy: z.literal('customer'),
  fen: Fen.nullable(),
  explanation: z.string().max(1000),
});
export type Freight = z.infer<typeof Freight>;

/**
 * Seed, "Both parties confirm the maintenance cost": computed by the warranty module,
 * checked here only for internal consistency.
 */
export const Charges = z
  .strictObject({
    rule: ChargeRule,
    partsFen: Fen,
    feeFen: Fen,
    totalFen: Fen,
    // The warranty module's wording of why this rule applies, kept for the Repair Report.
    explanation: z.string().max(1000).optional(),
    // Seed: repaired parts carry their own warranty, so each part is priced and explained.
    // Optional: reports written before per-part pricing have none.
    lines: z.array(ChargeLine).max(200).optional(),
    // Seed §6: the customer bears the freight both ways.
    freight: Freight.optional(),
    /** The repair plus the return freight: what the customer remits. */
    dueFen: Fen.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.totalFen !== c.partsFen + c.feeFen) {
      ctx.addIssue({ code: 'custom', path: ['totalFen'], message: 'totalFen must equal partsFen + feeFen' });
    }
    // Seed: in warranty and in scope, no maintenance fee and no parts cost.
    if (c.rule === 'free' && c.totalFen !== 0) {
      ctx.addIssue({ code: 'custom', path: ['totalFen'], message: 'a free repair charges nothing' });
    }
    // Seed: in warranty but out of scope, "only the cost of components will be charged".
    if (c.rule === 'parts-only' && c.feeFen !== 0) {
      ctx.addIssue({ code: 'custom', path: ['feeFen'], message: 'parts-only charges no maintenance fee' });
    }
    if (c.dueFen !== undefined && c.dueFen !== c.totalFen + (c.freight?.fen ?? 0)) {
      ctx.addIssue({ code: 'custom', path: ['dueFen'], message: 'dueFen must equal totalFen plus the return freight' });
    }
  });
export type Charges = z.infer<typeof Charges>;

export const Part = z.strictObject({
  name: Text(200),
  unitCostFen: Fen,
  qty: z.number().int().min(1).max(10_000),
});
export type Part = z.infer<typeof Part>;

/** What the technician writes in the Repair Report: test results and charges. */
export const RepairReportInput = z
  .strictObject({
    testResults: Text(8000),
    parts: z.array(Part).max(200),
    // Only the maintenance fee depends on it; a free or parts-only repair may leave it out.
    damageDegree: DamageDegree.optional(),
    charges: Charges,
  })
  .superRefine((r, ctx) => {
    if (r.charges.rule === 'parts-and-fee' && r.damageDegree === undefined) {
      ctx.addIssue({ code: 'custom', path: ['damageDegree'], message: 'the maintenance fee needs the damage degree' });
    }
    const lines = r.charges.lines;
    if (lines && (lines.length !== r.parts.length || lines.some((l, i) => l.name !== r.parts[i]?.name))) {
      ctx.addIssue({ code: 'custom', path: ['charges', 'lines'], message: 'one charge line per part listed, in order' });
    }
    // Parts under their own warranty are listed but not charged.
    const partsFen = lines ? lines.reduce((sum, l) => sum + l.chargedFen, 0) : r.parts.reduce((sum, p) => sum + p.unitCostFen * p.qty, 0);
    // A free repair uses parts too, but charges none of them.
    if (r.charges.rule !== 'free' && r.charges.partsFen !== partsFen) {
      ctx.addIssue({
        code: 'custom',
        path: ['charges', 'partsFen'],
        message: `partsFen must equal the parts listed (${partsFen})`,
      });
    }
  });
export type RepairReportInput = z.infer<typeof RepairReportInput>;

export const RepairReport = z.strictObject({
  testResults: z.string(),
  parts: z.array(Part),
  damageDegree: DamageDegree.nullable(),
  charges: Charges,
  writtenBy: z.string(),
  writtenAt: Instant,
  /** When the customer got the report: on the cost confirmation for a charged repair, with the product for a free one. */
  sentAt: Instant.nullable(),
});
export type RepairReport = z.infer<typeof RepairReport>;

/**
 * After-sales' confirmation of warranty period and scope. Seed: the period runs from the
 * customer's receipt date; the exclusions (force majeure, misuse, unauthorised
 * disassembly, …) are named by the warranty module, recorded here as given.
 */
export const WarrantyConfirmationInput = z
  .strictObject({
    inWarranty: z.boolean(),
    inScope: z.boolean(),
    // Chosen from the warranty terms' list, as hand-added exclusions are; free text is refused.
    exclusions: z.array(ExclusionId).max(20).default([]),
    productionDate: CalendarDate.optional(),
    saleDate: CalendarDate.optional(),
    receiptDate: CalendarDate.optional(),
    warrantyEndsOn: CalendarDate.optional(),
  })
  .refine((w) => w.inScope === (w.exclusions.length === 0), {
    message: 'out of scope exactly when an exclusion applies',
    path: ['exclusions'],
  });

export const WarrantyConfirmation = z.strictObject({
  inWarranty: z.boolean(),
  inScope: z.boolean(),
  exclusions: z.array(z.string()),
  productionDate: CalendarDate.optional(),
  saleDate: CalendarDate.optional(),
  receiptDate: CalendarDate.optional(),
  warrantyEndsOn: CalendarDate.optional(),
  confirmedBy: z.string(),
  confirmedAt: Instant,
});
export type WarrantyConfirmation = z.infer<typeof WarrantyConfirmation>;

export const Shipment = z.strictObject({ carrier: Text(100), trackingNumber: Text(100) });
export type Shipment = z.infer<typeof Shipment>;

export const InboundShipment = z.strictObject({
  carrier: z.string(),
  trackingNumber: z.string(),
  // Seed: customers are recommended to buy transport insurance; null when not asked.
  insured: z.boolean().nullable(),
  recordedAt: Instant,
});
export type InboundShipment = z.infer<typeof InboundShipment>;

export const OutboundShipment = z.strictObject({
  carrier: z.string(),
  trackingNumber: z.string(),
  shippedAt: Instant,
  repaired: z.boolean(),
});
export type OutboundShipment = z.infer<typeof OutboundShipment>;

export const CustomerDecision = z.strictObject({
  decision: z.enum(['accepted', 'declined']),
  recordedBy: z.string(),
  recordedAt: Instant,
});
export type CustomerDecision = z.infer<typeof CustomerDecision>;

export const Payment = z.strictObject({
  amountFen: Fen,
  reference: z.string(),
  recordedBy: z.string(),
  recordedAt: Instant,
});
export type Payment = z.infer<typeof Payment>;

/**
 * A remittance the customer reports from the portal (amount and bank reference). It is their
 * word, not the money: after-sales confirms the remittance (`payment`), which starts the repair.
 */
export const CustomerRemittance = z.strictObject({
  amountFen: Fen,
  reference: z.string(),
  recordedBy: z.string(),
  recordedAt: Instant,
});
export type CustomerRemittance = z.infer<typeof CustomerRemittance>;

/**
 * Working days spent on the repair cycle. Seed: the cycle excludes transport and fee
 * collection, so it starts on receipt and stands still while the customer decides and pays.
 * Days are counted in (runningSince, today]: the day the clock starts or resumes is free,
 * the day it pauses is spent.
 */
export const RepairClock = z.strictObject({
  startedOn: CalendarDate,
  /** Local date the current running stretch began; null while paused or stopped. */
  runningSince: CalendarDate.nullable(),
  /** Working days used in finished stretches. */
  workingDaysUsed: z.number().int().nonnegative(),
  pausedAt: Instant.nullable(),
  unofficialYears: z.array(z.number().int()),
});
export type RepairClock = z.infer<typeof RepairClock>;

export const STANDBY_STATES = ['none', 'required', 'dispatched', 'returned'] as const;
export const StandbyState = z.enum(STANDBY_STATES);
export type StandbyState = z.infer<typeof StandbyState>;

/** Seed: standby equipment replaces a faulty box that cannot be repaired in the time limit. */
export const Standby = z.strictObject({
  state: StandbyState,
  reason: z.string().optional(),
  requiredAt: Instant.optional(),
  unitSerial: z.string().optional(),
  carrier: z.string().optional(),
  trackingNumber: z.string().optional(),
  dispatchedAt: Instant.optional(),
  returnedAt: Instant.optional(),
});
export type Standby = z.infer<typeof Standby>;

export const DEADLINE_KINDS = ['first-response', 'repair-cycle', 'decision', 'payment', 'feedback'] as const;
export const DeadlineKind = z.enum(DEADLINE_KINDS);
export type DeadlineKind = z.infer<typeof DeadlineKind>;

/**
 * A timer the adapter runs. `unofficialYears` lists years the due date was computed across
 * without official holiday data, so the API can mark the date as provisional.
 */
export const Deadline = z.strictObject({
  kind: DeadlineKind,
  scheduledAt: Instant,
  dueDate: CalendarDate,
  dueAt: Instant,
  unofficialYears: z.array(z.number().int()),
  firedAt: Instant.nullable(),
  cancelledAt: Instant.nullable(),
});
export type Deadline = z.infer<typeof Deadline>;

export const CANCEL_RESOLUTIONS = ['solved-remotely', 'customer-withdrew', 'duplicate', 'other'] as const;
export const CLOSURE_KINDS = ['customer-confirmed', 'feedback-period-over'] as const;

/** Who acts on a ticket. */
export const Actor = z.strictObject({ username: Text(100), role: Role });
export type Actor = z.infer<typeof Actor>;

/** The rules acting on their own (a deadline firing) or diagnostics opening a ticket. */
export const AutomaticActor = z.strictObject({
  username: z.enum(['system', 'diagnostics']),
  role: z.literal('system'),
});
export type AutomaticActor = z.infer<typeof AutomaticActor>;
export const SYSTEM_ACTOR: AutomaticActor = { username: 'system', role: 'system' };
export const DIAGNOSTICS_ACTOR: AutomaticActor = { username: 'diagnostics', role: 'system' };
export type AnyActor = Actor | AutomaticActor;

/** A return-merchandise ticket for one box. Plain JSON: the adapter stores it as is. */
export const RmaTicket = z.strictObject({
  id: z.string().min(1),
  serial: Serial,
  state: RmaState,
  stateSince: Instant,
  form: ServiceRegistrationForm,
  businessLine: BusinessLine.nullable(),
  customised: z.boolean(),
  repairCycleDays: z.number().int().min(1),
  openedBy: z.string(),
  openedAt: Instant,
  firstResponseAt: Instant.nullable(),
  warranty: WarrantyConfirmation.nullable(),
  inbound: InboundShipment.nullable(),
  receivedAt: Instant.nullable(),
  repairReport: RepairReport.nullable(),
  customerDecision: CustomerDecision.nullable(),
  payment: Payment.nullable(),
  /** Remittances the customer reported; absent until the first one (tickets stored before have none). */
  customerRemittances: z.array(CustomerRemittance).max(50).optional(),
  repairClock: RepairClock.nullable(),
  repairedAt: Instant.nullable(),
  finalTest: z.strictObject({ results: z.string(), passed: z.boolean(), testedBy: z.string(), testedAt: Instant }).nullable(),
  standby: Standby,
  outbound: OutboundShipment.nullable(),
  cancellation: z.strictObject({ resolution: z.enum(CANCEL_RESOLUTIONS), cancelledAt: Instant }).nullable(),
  closure: z.strictObject({ kind: z.enum(CLOSURE_KINDS), closedAt: Instant }).nullable(),
  deadlines: z.array(Deadline),
  /** Pre-repair parameters put back (or the restore waived); tickets stored before it read null. */
  parameterRestore: z
    .strictObject({
      outcome: z.enum(['verified', 'failed', 'waived']),
      backupId: z.number().int().optional(),
      mismatches: z.number().int().optional(),
      reason: z.string().optional(),
      by: z.string(),
      at: Instant,
    })
    .nullable()
    .default(null),
});
export type RmaTicket = z.infer<typeof RmaTicket>;
