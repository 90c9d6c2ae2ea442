/**
 * What each edge of the transition table does to the ticket beyond changing its state:
 * records, clock, deadlines, notifications. Keyed by edge, so a new row without a step
 * does not compile.
 */

import {
  activeDeadline,
  feedbackDeadline,
  scheduleDeadline,
  workingDayDeadline,
  DECISION_WORKING_DAYS,
  PAYMENT_WORKING_DAYS,
} from './rma-deadline-rules.ts';
import { rmaError, type RmaEffect, type RmaResult, type RulesContext } from './rma-effects.ts';
import { pauseClock, resumeClock, startClock } from './rma-repair-clock.ts';
import { restoreSettled } from './rma-parameter-restore.ts';
import { requireStandby, standbyReason } from './rma-standby.ts';
import {
  STANDARD_REPAIR_CYCLE_DAYS,
  SYSTEM_ACTOR,
  type AnyActor,
  type Freight,
  type RepairReport,
  type RmaState,
  type RmaTicket,
} from './rma-ticket.ts';
import type { RmaEdgeKey, RmaPayloadOf } from './rma-transition-table.ts';

/** Seed, "Customer sends repair products": where customers ship boxes for repair. */
export const REPAIR_CENTRE = {
  address: "A2-1001, Tian'an Smart City, No. 228, Linghu Avenue, Xinwu District, Wuxi City",
  postalCode: '214000',
  tel: '0510-88230210',
  attention: 'After sales',
} as const;

export interface StepContext extends RulesContext {
  actor: AnyActor;
  from: RmaState;
  today: string;
}
export type Step = RmaResult;
export type Handler<P> = (ticket: RmaTicket, payload: P, c: StepContext) => Step;

function ok(ticket: RmaTicket, effects: RmaEffect[] = []): Step {
  return { ok: true, ticket, effects };
}

function notifyCustomer(t: RmaTicket, topic: Extract<RmaEffect, { kind: 'notify' }>['topic'], details: Record<string, unknown>): RmaEffect {
  return { kind: 'notify', audience: 'customer', topic, ticketId: t.id, details };
}

function reportOf(t: RmaTicket): RepairReport {
  // The table only reaches these edges after `diagnosed`, which writes the report.
  if (!t.repairReport) throw new Error(`ticket ${t.id} in ${t.state} has no Repair Report`);
  return t.repairReport;
}

/** Seed: a free Repair Report goes straight to repair; a charged one through the customer's decision. */
export function fitsChargePath(t: RmaTicket, to: 'repairing' | 'awaiting-decision'): boolean {
  return (reportOf(t).charges.rule === 'free') === (to === 'repairing');
}

function cancelTicket(t: RmaTicket, p: RmaPayloadOf<'registered->cancelled'>, c: StepContext): Step {
  return ok({ ...t, cancellation: { resolution: p.resolution, cancelledAt: c.now } });
}

/** Restarts the repair clock with what is left of the cycle; none left means standby now. */
function resumeRepair(t: RmaTicket, c: StepContext, countPausedDays: boolean): { ticket: RmaTicket; effects: RmaEffect[] } {
  if (!t.repairClock) throw new Error(`ticket ${t.id} resumes a repair that never started`);
  const clock = resumeClock(t.repairClock, c.now, c.calendar, countPausedDays);
  const resumed: RmaTicket = { ...t, repairClock: clock };
  const remaining = t.repairCycleDays - clock.workingDaysUsed;
  if (remaining > 0) {
    return scheduleDeadline(resumed, workingDayDeadline('repair-cycle', c.now, c.today, remaining, c.calendar, clock.unofficialYears));
  }
  // The rule, not the person resuming, asks for the standby unit.
  return requireStandby(resumed, c.now, standbyReason(t.repairCycleDays), SYSTEM_ACTOR);
}

/** Seed: the customer bears the freight; entering the return freight adds it to what is due. */
function withFreight(report: RepairReport, freight: Freight | undefined): RepairReport {
  if (!freight) return report;
  return { ...report, charges: { ...report.charges, freight, dueFen: report.charges.totalFen + (freight.fen ?? 0) } };
}

/** The amount due with freight, for reports priced with it (older ones have the total only). */
const due = (r: RepairReport) => (r.charges.dueFen !== undefined && r.charges.dueFen !== r.charges.totalFen ? { dueFen: r.charges.dueFen } : {});

function decline(t: RmaTicket, c: StepContext): Step {
  // A person records the customer's refusal; the payment deadline records nothing.
  const decided: RmaTicket =
    c.actor.role === 'system' ? t : { ...t, customerDecision: { decision: 'declined', recordedBy: c.actor.username, recordedAt: c.now } };
  return ok(decided, [notifyCustomer(t, 'returned-unrepaired', { cause: c.actor.role === 'system' ? 'payment-overdue' : 'declined' })]);
}

function accept(t: RmaTicket, _p: unknown, c: StepContext): Step {
  const payment = activeDeadline(t, 'payment');
  return ok({ ...t, customerDecision: { decision: 'accepted', recordedBy: c.actor.username, recordedAt: c.now } }, [
    notifyCustomer(t, 'payment-details', { totalFen: reportOf(t).charges.totalFen, ...due(reportOf(t)), paymentDueDate: payment?.dueDate ?? null }),
  ]);
}

function shipBack(t: RmaTicket, p: RmaPayloadOf<'tested->shipped-back'>, c: StepContext): Step {
  const repaired = c.from === 'tested';
  if (repaired && !restoreSettled(t)) {
    return rmaError('RMA_RESTORE_PENDING', { from: c.from, to: 'shipped-back', parameterRestore: t.parameterRestore });
  }
  const report = t.repairReport;
  const shipped: RmaTicket = {
    ...t,
    outbound: { carrier: p.carrier, trackingNumber: p.trackingNumber, shippedAt: c.now, repaired },
    // Seed: a free repair's Repair Report travels with the product.
    repairReport: report && report.sentAt === null ? { ...report, sentAt: c.now } : report,
  };
  const s = scheduleDeadline(shipped, feedbackDeadline(c.now, c.calendar));
  return ok(s.ticket, [...s.effects, notifyCustomer(t, 'shipped-back', { carrier: p.carrier, trackingNumber: p.trackingNumber, repaired })]);
}

export const HANDLERS: { [K in RmaEdgeKey]: Handler<RmaPayloadOf<K>> } = {
  'registered->warranty-confirmed': (t, p, c) =>
    ok(
      {
        ...t,
        warranty: { ...p.warranty, confirmedBy: c.actor.username, confirmedAt: c.now },
        form: { ...t.form, ...p.form },
        businessLine: p.businessLine ?? t.businessLine,
        customised: p.customised ?? t.customised,
        repairCycleDays: p.repairCycleDays ?? (p.customised === false ? STANDARD_REPAIR_CYCLE_DAYS : t.repairCycleDays),
      },
      // Seed: "Customers are recommended to purchase transportation insurance."
      [
        notifyCustomer(t, 'warranty-confirmed', {
          inWarranty: p.warranty.inWarranty,
          inScope: p.warranty.inScope,
          exclusions: p.warranty.exclusions,
          transportInsuranceRecommended: true,
        }),
      ],
    ),
  'registered->cancelled': cancelTicket,
  'warranty-confirmed->cancelled': cancelTicket,
  'awaiting-product->cancelled': cancelTicket,
  'warranty-confirmed->awaiting-product': (t) =>
    ok(t, [
      // Seed, "Notice to customers": attach the registration form, back up the program
      // parameters, pack safely and insure the transport.
      notifyCustomer(t, 'shipping-instructions', {
        shipTo: REPAIR_CENTRE,
        attachRegistrationForm: true,
        backUpParameters: true,
        transportInsuranceRecommended: true,
      }),
    ]),
  'awaiting-product->in-transit': (t, p, c) =>
    ok({ ...t, inbound: { carrier: p.carrier, trackingNumber: p.trackingNumber, insured: p.insured ?? null, recordedAt: c.now } }),
  'in-transit->received': (t, p, c) => {
    // Seed: the cycle excludes transport, so it starts on receipt.
    const received: RmaTicket = { ...t, receivedAt: c.now, form: { ...t.form, ...p.form }, repairClock: startClock(c.today) };
    const s = scheduleDeadline(received, workingDayDeadline('repair-cycle', c.now, c.today, t.repairCycleDays, c.calendar));
    return ok(s.ticket, s.effects);
  },
  'received->diagnosed': (t, p, c) => {
    const report: RepairReport = {
      ...p.report,
      damageDegree: p.report.damageDegree ?? null,
      writtenBy: c.actor.username,
      writtenAt: c.now,
      sentAt: null,
    };
    // Seed: a charged report goes to after-sales, who confirm the payment with the customer.
    const effects: RmaEffect[] =
      report.charges.rule === 'free'
        ? []
        : [{ kind: 'notify', audience: 'after-sales', topic: 'repair-report', ticketId: t.id, details: { charges: report.charges } }];
    return ok({ ...t, repairReport: report }, effects);
  },
  'diagnosed->repairing': (t) => {
    if (!fitsChargePath(t, 'repairing')) {
      return rmaError('RMA_WRONG_CHARGE_PATH', { from: 'diagnosed', to: 'repairing', rule: reportOf(t).charges.rule, expected: 'awaiting-decision' });
    }
    return ok(t);
  },
  'diagnosed->awaiting-decision': (t, p, c) => {
    const report = withFreight(reportOf(t), p.freight);
    if (!fitsChargePath(t, 'awaiting-decision')) {
      return rmaError('RMA_WRONG_CHARGE_PATH', { from: 'diagnosed', to: 'awaiting-decision', rule: 'free', expected: 'repairing' });
    }
    // Seed: the cycle excludes "the time taken for collecting maintenance fees".
    const paused: RmaTicket = {
      ...t,
      repairReport: { ...report, sentAt: c.now },
      repairClock: t.repairClock && pauseClock(t.repairClock, c.now, c.calendar),
    };
    const decision = workingDayDeadline('decision', c.now, c.today, DECISION_WORKING_DAYS, c.calendar);
    const payment = workingDayDeadline('payment', c.now, c.today, PAYMENT_WORKING_DAYS, c.calendar);
    const s1 = scheduleDeadline(paused, decision);
    const s2 = scheduleDeadline(s1.ticket, payment);
    return ok(s2.ticket, [
      ...s1.effects,
      ...s2.effects,
      notifyCustomer(t, 'repair-report', {
        charges: report.charges,
        decisionDueDate: decision.dueDate,
        paymentDueDate: payment.dueDate,
      }),
    ]);
  },
  'awaiting-decision->awaiting-payment': accept,
  'postponed->awaiting-payment': accept,
  'awaiting-decision->postponed': (t) => ok(t, [notifyCustomer(t, 'postponed', {})]),
  'awaiting-decision->returned-unrepaired': (t, _p, c) => decline(t, c),
  'postponed->returned-unrepaired': (t, _p, c) => decline(t, c),
  'awaiting-payment->returned-unrepaired': (t, _p, c) => decline(t, c),
  // Back from the next maintenance cycle: a fresh 5 working days to decide, while the
  // 30-day payment deadline, counted from the report, keeps running.
  'postponed->awaiting-decision': (t, _p, c) => {
    const s = scheduleDeadline(t, workingDayDeadline('decision', c.now, c.today, DECISION_WORKING_DAYS, c.calendar));
    return ok(s.ticket, s.effects);
  },
  'awaiting-payment->repairing': (t, p, c) => {
    // The repair plus the return freight the customer bears, once entered.
    const requiredFen = reportOf(t).charges.dueFen ?? reportOf(t).charges.totalFen;
    if (p.payment.amountFen < requiredFen) {
      return rmaError('RMA_PAYMENT_INSUFFICIENT', { from: 'awaiting-payment', to: 'repairing', requiredFen, paidFen: p.payment.amountFen });
    }
    const paid: RmaTicket = { ...t, payment: { ...p.payment, recordedBy: c.actor.username, recordedAt: c.now } };
    const r = resumeRepair(paid, c, false);
    // Seed: "After receiving your remittance receipt, the after-sales service personnel will
    // notify the maintenance personnel to start the repair".
    return ok(r.ticket, [...r.effects, { kind: 'notify', audience: 'technician', topic: 'start-repair', ticketId: t.id, details: {} }]);
  },
  'repairing->repaired': (t, _p, c) => ok({ ...t, repairedAt: c.now, repairClock: t.repairClock && pauseClock(t.repairClock, c.now, c.calendar) }),
  'repaired->tested': (t, p, c) => ok({ ...t, finalTest: { results: p.testResults, passed: true, testedBy: c.actor.username, testedAt: c.now } }),
  'repaired->repairing': (t, p, c) => {
    const failed: RmaTicket = {
      ...t,
      repairedAt: null,
      finalTest: { results: p.testResults, passed: false, testedBy: c.actor.username, testedAt: c.now },
    };
    const r = resumeRepair(failed, c, true);
    return ok(r.ticket, r.effects);
  },
  'tested->shipped-back': shipBack,
  'returned-unrepaired->shipped-back': shipBack,
  'shipped-back->closed': (t, p, c) => {
    const feedback = t.deadlines.filter((d) => d.kind === 'feedback').at(-1);
    if (p.closure === 'feedback-period-over' && feedback && c.now < feedback.dueAt) {
      return rmaError('RMA_FEEDBACK_PERIOD_OPEN', { from: 'shipped-back', to: 'closed', feedbackDueAt: feedback.dueAt });
    }
    return ok({ ...t, closure: { kind: p.closure, closedAt: c.now } });
  },
};
