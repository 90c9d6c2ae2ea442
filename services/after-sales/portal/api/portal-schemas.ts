import { z } from 'zod';
import { Serial } from '../../../contract/serial.ts';
import { IdKey, cursorParam, NextCursor, PageLimit } from '../../../kernel/page-cursor.ts';
import { BoolParam } from '../../../kernel/time-params.ts';
import {
  CustomerDecision,
  CustomerRemittance,
  DeadlineKind,
  InboundShipment,
  OutboundShipment,
  Part,
  RemittanceReport,
  RmaState,
  RmaTicket,
  ServiceRegistrationForm,
  Shipment,
  Standby,
  Charges,
} from '../../rma/index.ts';
import { WarrantyAnswer } from '../../warranty/index.ts';

/** HTTP schemas of the customer portal; openapi.json is generated from these. */

const Ms = z.number().int();

export const PortalDevice = z.object({
  serial: Serial,
  model: z.string(),
  firmware: z.string().nullable(),
  productionDate: z.string().nullable(),
  saleDate: z.string().nullable(),
  receiptDate: z.string().nullable(),
  presence: z.object({ online: z.boolean(), lastSeen: Ms.nullable().describe('when the box last sent anything; null if never') }),
  warranty: WarrantyAnswer.describe("the box's warranty today (China's date) with its reasons and each repaired part's own warranty"),
  openTicketId: z.number().int().nullable().describe('the repair request in progress for this box, if any'),
});

export const PortalDeadline = z.object({
  kind: DeadlineKind,
  dueAt: Ms,
  dueDate: z.string(),
  owner: z.enum(['customer', 'vendor']).describe("customer: the customer's to meet (decide, pay, feedback); vendor: our promise"),
});

const WaitingFor = z.enum(['customer', 'vendor', 'nobody']).describe('who acts next: the customer, the vendor, or nobody (finished)');

export const PortalTicketSummary = z.object({
  id: z.number().int(),
  serial: Serial,
  state: RmaState,
  stateSince: Ms,
  openedAt: Ms,
  waitingFor: WaitingFor,
  nextDeadline: PortalDeadline.nullable(),
  faultPhenomenon: z.string().nullable(),
});

export const PortalDeviceDetail = PortalDevice.extend({
  tickets: z.array(PortalTicketSummary).describe("the box's repair requests, newest first"),
  registrationForm: ServiceRegistrationForm.describe('the Service Registration Form pre-filled from the box and the organisation'),
});

export const PortalDeviceList = z.object({ devices: z.array(PortalDevice).describe('in serial order'), nextCursor: NextCursor });

export const PortalDeviceQuery = z.object({
  q: z.string().trim().min(1).max(200).optional().describe('part of the serial, model or firmware, matched literally'),
  limit: PageLimit,
  cursor: cursorParam(Serial).optional(),
});

export const PortalTicketQuery = z.object({
  open: BoolParam.optional().describe('true: requests in progress; false: closed or cancelled ones'),
  limit: PageLimit,
  cursor: cursorParam(IdKey).optional(),
});

export const PortalTicketList = z.object({ tickets: z.array(PortalTicketSummary).describe('newest first'), nextCursor: NextCursor });

export const PortalTicket = z.object({
  id: z.number().int(),
  serial: Serial,
  model: z.string().nullable(),
  state: RmaState,
  stateSince: Ms,
  openedAt: Ms,
  waitingFor: WaitingFor,
  form: ServiceRegistrationForm,
  deadlines: z.array(PortalDeadline).describe('running deadlines, soonest first'),
  repairClock: z
    .object({
      cycleDays: z.number().int().describe('working days the repair cycle may take (seed: 5 for a standard product)'),
      workingDaysUsed: z.number().int(),
      running: z.boolean().describe('false while the customer decides and pays, and once repaired'),
      startedOn: z.string(),
    })
    .nullable(),
  standby: Standby,
  warranty: z
    .object({ inWarranty: z.boolean(), inScope: z.boolean(), exclusions: z.array(z.string()), warrantyEndsOn: z.string().nullable() })
    .nullable()
    .describe("after-sales' confirmation of warranty period and scope"),
  report: z
    .object({
      testResults: z.string(),
      parts: z.array(Part),
      damageDegree: z.string().nullable(),
      charges: Charges,
      writtenAt: Ms,
      sentAt: Ms,
    })
    .nullable()
    .describe('the Repair Report once sent to the customer: per-part lines with reasons, fee, freight, amount due'),
  decision: CustomerDecision.nullable(),
  payment: z
    .object({ amountFen: z.number().int(), reference: z.string(), recordedAt: Ms })
    .nullable()
    .describe('the remittance after-sales confirmed'),
  remittances: z.array(CustomerRemittance).describe('remittances the customer reported'),
  inbound: InboundShipment.nullable().describe('the box on its way to the repair centre'),
  outbound: OutboundShipment.nullable().describe('the box on its way back'),
  cancellation: RmaTicket.shape.cancellation,
  closure: RmaTicket.shape.closure,
  may: z
    .object({ decide: z.boolean(), recordPayment: z.boolean(), ship: z.boolean(), confirmReceipt: z.boolean() })
    .describe('what the customer may do now'),
});

/** The Service Registration Form as the customer fills it in; the box's own facts come from the records. */
export const PortalRegistrationForm = ServiceRegistrationForm.pick({
  customerName: true,
  contacts: true,
  mailingAddress: true,
  contactNumber: true,
  inWarranty: true,
  faultPhenomenon: true,
  suggestions: true,
}).required({ faultPhenomenon: true });

export const NewPortalTicketBody = z.strictObject({ serial: Serial, form: PortalRegistrationForm });
export const DecisionBody = z.strictObject({ decision: z.enum(['accept', 'decline']) });
export const RemittanceBody = RemittanceReport;
export const ShipmentBody = Shipment.extend({
  insured: z.boolean().optional().describe('whether the customer bought transport insurance (the seed recommends it)'),
});
