import type { z } from 'zod';
import { AppError } from '../../kernel/app-error.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Locale } from '../../kernel/locale.ts';
import { chinaDate } from '../../kernel/warranty-period.ts';
import type { Actor, RmaService, ServiceRegistrationForm, TicketView } from '../rma/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { computeWarranty, type RepairedPart, warrantyIn } from '../warranty/index.ts';
import type { PortalDevice, PortalDeviceDetail, PortalRegistrationForm } from './api/portal-schemas.ts';
import { decisionRefusal } from './domain/customer-ticket.ts';
import type { PortalBox, PortalOrganisation, PortalStore } from './domain/portal-ports.ts';
import { customerTicket, type PortalTicketSummaryView, type PortalTicketView, ticketSummary } from './portal-views.ts';

/** What the portal is built from; the composition root wires RMA, presence and the parts history. */
export interface PortalDeps {
  clock: Clock;
  calendar: Pick<CalendarService, 'current'>;
  store: PortalStore;
  rma: Pick<RmaService, 'get' | 'open' | 'transition' | 'recordRemittance'>;
  /** The box's repaired parts, each with its own warranty (the warranty capability's history). */
  repairedParts(deviceId: number): Promise<RepairedPart[]>;
  /** Whether the box is connected now and when it was last heard from. */
  presence(deviceId: number): { online: boolean; lastSeen: number | null };
}

type Form = z.infer<typeof ServiceRegistrationForm>;
/** Tickets shown on a box's page; a box has one open at a time, the rest are history. */
const BOX_TICKETS = 50;

/** Seed, Service Registration Form: what the records know, for the customer to check and complete. */
function prefill(organisation: PortalOrganisation | null, box: PortalBox, inWarranty: boolean | null, previousRepairs: number): Form {
  const contact = organisation?.contacts[0];
  return {
    ...(organisation ? { customerName: organisation.name } : {}),
    ...(contact ? { contacts: contact.name } : {}),
    ...(contact?.address ? { mailingAddress: contact.address } : {}),
    ...(contact?.phone ? { contactNumber: contact.phone } : {}),
    productModel: box.model,
    serialNumber: box.serial,
    inWarranty,
    previousRepairs,
  };
}

/**
 * The customer portal: one organisation's boxes and repairs. Every method takes the
 * organisation from the signed-in account (never from the request) and reads through the
 * store's organisation-filtered queries; another organisation's box or ticket answers exactly
 * like one that does not exist.
 */
export function createPortalService(deps: PortalDeps) {
  async function requireBox(org: number, serial: string): Promise<PortalBox> {
    const box = await deps.store.device(org, serial);
    if (!box) throw new AppError('DEVICE_NOT_FOUND', { serial });
    return box;
  }

  async function requireTicket(org: number, id: number): Promise<TicketView> {
    if (!(await deps.store.ownsTicket(org, id))) throw new AppError('RMA_NOT_FOUND', { id });
    return deps.rma.get(id);
  }

  const show = (view: TicketView): PortalTicketView => customerTicket(view, deps.clock(), deps.calendar.current());

  async function deviceOf(org: number, box: PortalBox, locale: Locale): Promise<z.infer<typeof PortalDevice>> {
    const [open] = await deps.store.ticketIds(org, { serial: box.serial, open: true, limit: 1 });
    const { id: _id, ...record } = box;
    return {
      ...record,
      presence: deps.presence(box.id),
      // The same function as the warranty endpoint, the device views and RMA tickets.
      warranty: warrantyIn(
        computeWarranty(
          { receiptDate: box.receiptDate, saleDate: box.saleDate, repairedParts: await deps.repairedParts(box.id) },
          chinaDate(deps.clock()),
        ),
        locale,
      ),
      openTicketId: open ?? null,
    };
  }

  async function ticketsOf(org: number, query: { open?: boolean | undefined; serial?: string; beforeId?: number | undefined; limit: number }) {
    const ids = await deps.store.ticketIds(org, query);
    return Promise.all(ids.map((id) => deps.rma.get(id)));
  }

  return {
    async devices(org: number, query: { q?: string | undefined; afterSerial?: string | undefined; limit: number }, locale: Locale) {
      const boxes = await deps.store.devices(org, query);
      return Promise.all(boxes.map((b) => deviceOf(org, b, locale)));
    },

    async device(org: number, serial: string, locale: Locale): Promise<z.infer<typeof PortalDeviceDetail>> {
      const box = await requireBox(org, serial);
      const device = await deviceOf(org, box, locale);
      const tickets = await ticketsOf(org, { serial, limit: BOX_TICKETS });
      const repairs = tickets.filter((t) => t.ticket.repairedAt !== null).length;
      const organisation = await deps.store.organisation(org);
      return { ...device, tickets: tickets.map(ticketSummary), registrationForm: prefill(organisation, box, device.warranty.inWarranty, repairs) };
    },

    async openTicket(org: number, input: { serial: string; form: z.infer<typeof PortalRegistrationForm> }, actor: Actor) {
      const box = await requireBox(org, input.serial);
      const organisation = await deps.store.organisation(org);
      // The registry's facts (model, serial, warranty, previous repairs) are filled in by RMA's
      // opening; the organisation's contact details first, then what the customer wrote.
      const known = prefill(organisation, box, null, 0);
      const form: Form = {
        ...(known.customerName ? { customerName: known.customerName } : {}),
        ...(known.contacts ? { contacts: known.contacts } : {}),
        ...(known.mailingAddress ? { mailingAddress: known.mailingAddress } : {}),
        ...(known.contactNumber ? { contactNumber: known.contactNumber } : {}),
        ...input.form,
      };
      return show(await deps.rma.open({ serial: box.serial, form }, actor));
    },

    async tickets(
      org: number,
      query: { open?: boolean | undefined; beforeId?: number | undefined; limit: number },
    ): Promise<PortalTicketSummaryView[]> {
      return (await ticketsOf(org, query)).map(ticketSummary);
    },

    async ticket(org: number, id: number): Promise<PortalTicketView> {
      return show(await requireTicket(org, id));
    },

    /** Seed: the customer accepts or declines the Repair Report's cost within 5 working days. */
    async decide(org: number, id: number, decision: 'accept' | 'decline', actor: Actor): Promise<PortalTicketView> {
      const current = await requireTicket(org, id);
      const refusal = decisionRefusal(current.ticket.state);
      if (refusal) throw new AppError('RMA_INVALID_TRANSITION', { from: refusal.state, allowedStates: refusal.allowedStates });
      const to = decision === 'accept' ? 'awaiting-payment' : 'returned-unrepaired';
      const reason = decision === 'accept' ? 'the customer accepted the cost in the portal' : 'the customer declined the cost in the portal';
      return show(await deps.rma.transition(id, { to, reason }, actor));
    },

    async remittance(org: number, id: number, report: { amountFen: number; reference: string }, actor: Actor): Promise<PortalTicketView> {
      await requireTicket(org, id);
      return show(await deps.rma.recordRemittance(id, report, actor));
    },

    async shipment(
      org: number,
      id: number,
      shipment: { carrier: string; trackingNumber: string; insured?: boolean | undefined },
      actor: Actor,
    ): Promise<PortalTicketView> {
      await requireTicket(org, id);
      const { insured, ...sent } = shipment;
      const payload = { ...sent, ...(insured !== undefined ? { insured } : {}) };
      return show(await deps.rma.transition(id, { to: 'in-transit', reason: 'the customer shipped the box', payload }, actor));
    },

    async receipt(org: number, id: number, actor: Actor): Promise<PortalTicketView> {
      await requireTicket(org, id);
      const payload = { closure: 'customer-confirmed' };
      return show(await deps.rma.transition(id, { to: 'closed', reason: 'the customer confirmed receipt of the returned box', payload }, actor));
    },
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
