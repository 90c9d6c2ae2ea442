import { z } from 'zod';
import { BoundedJsonObject } from '../../../contract/json-limits.ts';
import { ListLimit, NoteText, Reason } from '../../../kernel/common-schemas.ts';
import { cursorParam } from '../../../kernel/page-cursor.ts';
// An audit line as served: the audit log's own schema.
import { AuditEntry as AuditView } from '../../../platform/audit/index.ts';
import { Role } from '../../../kernel/roles.ts';
import { BoolParam } from '../../../kernel/time-params.ts';
import { Serial } from '../../../contract/serial.ts';
import { SupportQueue } from '../../../kernel/support-queue.ts';
import { ChargePart, DamageDegree } from '../../warranty/index.ts';
import { ExclusionFinding, ExclusionId } from '../../warranty/index.ts';
import { WarrantyAnswer } from '../../warranty/index.ts';
import { RMA_ERRORS, type RmaErrorCode } from '../domain/errors.ts';
import { StandbyAction } from '../domain/rma-standby.ts';
import { RmaState, RmaTicket, ServiceRegistrationForm, Shipment } from '../domain/rma-ticket.ts';
import { TicketNote, TicketNotification, TicketOrigin } from '../store/rma-store.ts';

/** HTTP schemas of the RMA API; openapi.json is generated from these. */

const TicketMoveView = z.object({
  to: RmaState,
  roles: z.array(Role).describe('the accounts that may make the move'),
  summary: z.string().describe("the move in the process's own words"),
  blockedBy: z
    .enum(Object.keys(RMA_ERRORS) as [RmaErrorCode, ...RmaErrorCode[]])
    .nullable()
    .describe('the refusal the move meets now whatever it carries (e.g. RMA_RESTORE_PENDING), or null when it may be made'),
});

const ActionAvailability = z.object({
  possible: z.boolean().describe("whether the endpoint would take the ticket in its present state (the caller's role aside)"),
  roles: z.array(Role).describe('the accounts that may call it'),
});

const TicketActionsView = z.object({
  repairReport: ActionAvailability.describe('POST /api/tickets/:id/repair-report'),
  costConfirmation: ActionAvailability.describe('POST /api/tickets/:id/cost-confirmation (a charged Repair Report only)'),
  payment: ActionAvailability.describe('POST /api/tickets/:id/payments'),
  inboundShipping: ActionAvailability.describe('POST /api/tickets/:id/shipping, direction inbound'),
  outboundShipping: ActionAvailability.describe('POST /api/tickets/:id/shipping, direction outbound (after the parameter restore or its waiver)'),
  standby: z
    .object({ require: ActionAvailability, dispatch: ActionAvailability, return: ActionAvailability })
    .describe('POST /api/tickets/:id/standby, by kind'),
  parameterRestore: ActionAvailability.describe('POST /api/tickets/:id/parameter-restore'),
  exclusions: ActionAvailability.extend({
    clauses: z
      .array(
        z.object({
          id: ExclusionId,
          title: z.string(),
          clause: z.string(),
          seed: z.array(z.string()).describe("the seed's own words for this exclusion, verbatim"),
          sources: z.array(z.string()).describe('the seed sections that name it'),
          listed: z.boolean().describe('already suggested, confirmed, rejected or added on this ticket'),
        }),
      )
      .describe('every scope exclusion of the warranty terms'),
  }).describe('POST /api/tickets/:id/exclusions'),
});

export const TicketView = z.object({
  id: z.number().int(),
  ticket: RmaTicket.describe('the ticket: state, Service Registration Form, warranty confirmation, Repair Report, shipping, standby, deadlines'),
  queue: SupportQueue.describe("support queue of the customer's business line"),
  warranty: WarrantyAnswer.nullable().describe(
    "the box's warranty on the day the ticket was opened (the fault reported), which confirmation and pricing use",
  ),
  exclusions: z.array(ExclusionFinding).describe('warranty exclusions: suggested from evidence, confirmed or rejected by a person'),
  notes: z.array(TicketNote),
  notifications: z.array(TicketNotification).describe('reminders and messages the workflow raised'),
  origin: TicketOrigin,
  backup: z.object({ requestedAt: z.number().int(), snapshotId: z.number().int().nullable() }).nullable(),
  allowedTransitions: z.array(RmaState),
  moves: z
    .array(TicketMoveView)
    .describe("the moves from the current state that accounts make (the rules' own moves on deadlines left out), in the transition table's order"),
  actions: TicketActionsView.describe('the action endpoints: whether each would take the ticket now, and which roles may call it'),
  parameterBackup: z
    .object({
      latest: z.object({ id: z.number().int(), createdAt: z.number().int(), reason: z.string() }).nullable(),
      fresh: z.boolean(),
      warning: z.string().nullable(),
    })
    .describe("the box's newest parameter snapshot; a warning when none from the last 7 days exists"),
  provisionalDeadlineYears: z
    .array(z.number().int())
    .describe('years a running deadline was counted across without official holiday data: its date may move'),
  audit: z.array(AuditView),
});

export const TicketQuery = z.object({
  serial: Serial.optional(),
  state: RmaState.optional(),
  queue: SupportQueue.optional(),
  open: BoolParam.optional().describe('true: tickets neither closed nor cancelled; false: closed or cancelled ones'),
  limit: ListLimit,
  cursor: cursorParam(z.number().int().positive()).optional(),
});

export const NewTicketBody = z
  .object({
    serial: Serial,
    form: ServiceRegistrationForm.optional(),
    customised: z.boolean().optional(),
    repairCycleDays: z.number().int().min(1).max(365).optional(),
  })
  .strict();

export const TransitionBody = z
  .object({ to: RmaState, reason: Reason, payload: BoundedJsonObject.optional().describe('what the edge needs, see the transition table') })
  .strict();

// Seed, "Transportation cost": the customer bears the freight; the return freight is billed.
const FreightFen = z.number().int().min(0).max(100_000_000).describe('the return freight in fen, borne by the customer (seed: transportation cost)');

export const RepairReportBody = z
  .object({
    testResults: z.string().trim().min(1).max(8000),
    parts: z.array(ChargePart).max(200),
    damageDegree: DamageDegree.optional().describe('required when the repair is charged with a maintenance fee'),
    freightFen: FreightFen.optional(),
    reason: Reason.optional(),
  })
  .strict();

export const ExclusionBody = z
  .object({
    exclusion: ExclusionId,
    decision: z.enum(['confirmed', 'rejected', 'added']).describe('added: an exclusion the box could not report, e.g. return-transport-damage'),
    note: NoteText,
  })
  .strict();

export const CostConfirmationBody = z
  .object({ freightFen: FreightFen.optional().describe('enters or corrects the return freight on the Repair Report'), reason: Reason.optional() })
  .strict();

export const PaymentBody = z
  .object({ amountFen: z.number().int().positive(), reference: z.string().trim().min(1).max(200), reason: Reason.optional() })
  .strict();

export const ShippingBody = z
  .object({
    direction: z.enum(['inbound', 'outbound']).describe('inbound: the customer shipped the box; outbound: shipped back'),
    ...Shipment.shape,
    insured: z.boolean().optional().describe('inbound only: transport insurance is recommended'),
    reason: Reason.optional(),
  })
  .strict();

export const StandbyBody = StandbyAction;
export const TicketNoteBody = z.object({ text: NoteText }).strict();

export const ParameterRestoreBody = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('restore'),
      backupId: z.number().int().positive().optional().describe("default: the ticket's pre-repair backup"),
      force: z.boolean().optional().describe('restore across models or incompatible firmware'),
    })
    .strict(),
  z.object({ action: z.literal('waive'), reason: Reason }).strict(),
]);
