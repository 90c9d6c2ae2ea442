import type { z } from 'zod';
import { type TicketView, workingDaysUsed } from '../rma/index.ts';
import type { WorkingCalendar } from '../calendar/index.ts';
import type { PortalTicket, PortalTicketSummary } from './api/portal-schemas.ts';
import { customerMay, reportVisible, runningDeadlines, waitingFor } from './domain/customer-ticket.ts';

export type PortalTicketView = z.infer<typeof PortalTicket>;
export type PortalTicketSummaryView = z.infer<typeof PortalTicketSummary>;

/** One line of the customer's repair list. */
export function ticketSummary(view: TicketView): PortalTicketSummaryView {
  const t = view.ticket;
  return {
    id: view.id,
    serial: t.serial,
    state: t.state,
    stateSince: t.stateSince,
    openedAt: t.openedAt,
    waitingFor: waitingFor(t.state),
    nextDeadline: runningDeadlines(t.deadlines)[0] ?? null,
    faultPhenomenon: t.form.faultPhenomenon ?? null,
  };
}

/**
 * The ticket as the customer sees it: their form, the state and deadlines, the repair clock,
 * the Repair Report once sent, money and shipping both ways. Staff notes, the audit trail and
 * who on the vendor's side did what stay out.
 */
export function customerTicket(view: TicketView, now: number, calendar: WorkingCalendar): PortalTicketView {
  const t = view.ticket;
  const clock = t.repairClock;
  const report = t.repairReport;
  const w = t.warranty;
  return {
    ...ticketSummary(view),
    model: t.form.productModel ?? null,
    form: t.form,
    deadlines: runningDeadlines(t.deadlines),
    repairClock: clock
      ? {
          cycleDays: t.repairCycleDays,
          workingDaysUsed: workingDaysUsed(clock, calendar.localDate(now), calendar).days,
          running: clock.runningSince !== null,
          startedOn: clock.startedOn,
        }
      : null,
    standby: t.standby,
    warranty: w ? { inWarranty: w.inWarranty, inScope: w.inScope, exclusions: w.exclusions, warrantyEndsOn: w.warrantyEndsOn ?? null } : null,
    report:
      report && reportVisible(report) && report.sentAt !== null
        ? {
            testResults: report.testResults,
            parts: report.parts,
            damageDegree: report.damageDegree,
            charges: report.charges,
            writtenAt: report.writtenAt,
            sentAt: report.sentAt,
          }
        : null,
    decision: t.customerDecision,
    payment: t.payment ? { amountFen: t.payment.amountFen, reference: t.payment.reference, recordedAt: t.payment.recordedAt } : null,
    remittances: t.customerRemittances ?? [],
    inbound: t.inbound,
    outbound: t.outbound,
    cancellation: t.cancellation,
    closure: t.closure,
    may: customerMay(t.state),
  };
}
