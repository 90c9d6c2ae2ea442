import { badge, data, h, table, tNodes, when } from '../dom.js';
import { formatCalendarDate, formatDeadline, t } from '../i18n.js';
import { yuan } from '../ui.js';
import { countdownOf, deadlineTitle, provisional, running, serverWords, workingDaysLeft } from './rma-words.js';

/** @typedef {import('../api.js').TicketView} TicketView */
/** @typedef {import('../dom.js').Child} Child */
/** @typedef {import('./rma-words.js').WorkingCalendar} WorkingCalendar */

/**
 * A definition list of the facts that are known; unknown ones say so.
 * @param {[string, Child | Child[]][]} rows
 */
export function facts(rows) {
  return h(
    'dl',
    { class: 'facts' },
    rows.flatMap(([term, value]) => [
      h('dt', {}, term),
      h('dd', {}, value === null || value === undefined || value === '' ? h('span', { class: 'muted' }, t('rma.notOnRecord')) : value),
    ]),
  );
}

/** What a person typed, as data; nothing when nothing was typed. @param {string | number | null | undefined} v */
const typed = (v) => (v === null || v === undefined || v === '' ? null : data(v));

/** @param {boolean | null | undefined} v */
const yesNo = (v) => (v === true ? t('rma.yes') : v === false ? t('rma.no') : null);

/** The seed's Service Registration Form, pre-filled from the registry. @param {TicketView} view */
export function registrationForm(view) {
  const f = view.ticket.form;
  return facts([
    [t('rma.reg.customer'), typed(f.customerName)],
    [t('rma.reg.contacts'), typed(f.contacts)],
    [t('rma.reg.address'), typed(f.mailingAddress)],
    [t('rma.reg.phone'), typed(f.contactNumber)],
    [t('rma.reg.model'), typed(f.productModel)],
    [
      t('rma.field.serial'),
      h('a', { href: `#/devices/${encodeURIComponent(view.ticket.serial)}`, class: 'mono', translate: 'no' }, view.ticket.serial),
    ],
    [t('rma.reg.inWarranty'), yesNo(f.inWarranty)],
    [t('rma.reg.previousRepairs'), typed(f.previousRepairs ?? null)],
    [t('rma.reg.fault'), f.faultPhenomenon ? h('span', { class: 'pre', translate: 'no' }, f.faultPhenomenon) : null],
    [t('rma.reg.suggestions'), typed(f.suggestions)],
  ]);
}

/** The warranty on the day the fault was reported, with its reasons, and after-sales' confirmation once given. @param {TicketView} view */
export function warrantyDecision(view) {
  const w = view.warranty;
  const c = view.ticket.warranty;
  const verdict =
    w === null || w.inWarranty === null
      ? badge(t('rma.warranty.unknown'), 'warn')
      : w.inWarranty
        ? badge(t('rma.warranty.inUntil', { end: formatCalendarDate(w.end) }), 'ok')
        : badge(t('rma.warranty.outSince', { end: formatCalendarDate(w.end) }), 'bad');
  /** @param {string} id */
  const title = (id) => view.actions.exclusions.clauses.find((x) => x.id === id)?.title ?? id;
  return h(
    'div',
    {},
    h('p', { id: 'ticket-warranty-verdict' }, verdict),
    w
      ? h(
          'ul',
          // The reasons are the server's sentences (in the request's language once it has them).
          { class: 'reasons server-words' },
          w.reasons.map((r) => h('li', {}, r)),
        )
      : h('p', { class: 'muted' }, t('rma.warranty.notRegistered')),
    c
      ? h(
          'p',
          { id: 'ticket-warranty-confirmed' },
          tNodes('rma.warranty.confirmed', { by: data(c.confirmedBy), at: when(c.confirmedAt), inWarranty: c.inWarranty ? 'yes' : 'no' }),
          c.inScope
            ? t('rma.warranty.inScope')
            : tNodes('rma.warranty.outOfScope', { exclusions: serverWords(c.exclusions.map(title).join(t('rma.listSeparator'))) }),
        )
      : h('p', { class: 'muted' }, t('rma.warranty.notConfirmed')),
  );
}

/** @typedef {NonNullable<NonNullable<TicketView['ticket']['repairReport']>['charges']['lines']>[number]['basis']} ChargeBasis */

/** An amount in a table cell, kept on one line (¥1,200.00 does not break). @param {number} fen */
const money = (fen) => h('span', { class: 'rma-money' }, yuan(fen));

/** @type {Record<NonNullable<TicketView['ticket']['repairReport']>['charges']['rule'], import('../i18n.js').MessageKey>} */
const RULE_WORDS = { free: 'rma.rule.free', 'parts-only': 'rma.rule.parts-only', 'parts-and-fee': 'rma.rule.parts-and-fee' };

/** @type {Record<ChargeBasis, import('../i18n.js').MessageKey>} */
const BASIS_WORDS = {
  'box-warranty': 'rma.charge.box-warranty',
  'part-warranty': 'rma.charge.part-warranty',
  excluded: 'rma.charge.excluded',
  'out-of-warranty': 'rma.charge.out-of-warranty',
};

/** The technician's Repair Report with its computed charges, the customer's decision and payment. @param {TicketView} view */
export function repairReport(view) {
  const { repairReport: r, customerDecision: d, payment: p, finalTest: ft } = view.ticket;
  if (!r) return h('p', { class: 'empty' }, t('rma.report.none'));
  return h(
    'div',
    { id: 'repair-report' },
    h('p', { class: 'pre', translate: 'no' }, r.testResults),
    // Seed: a repaired part carries its own warranty, so each line says why it is free or charged.
    r.charges.lines
      ? table(
          [t('rma.report.part'), t('rma.report.unitCost'), t('rma.report.qty'), t('rma.report.charged'), t('rma.report.why')],
          r.charges.lines.map((l) => [data(l.name), money(l.unitCostFen), String(l.qty), money(l.chargedFen), t(BASIS_WORDS[l.basis])]),
          t('rma.report.noParts'),
        )
      : table(
          [t('rma.report.part'), t('rma.report.unitCost'), t('rma.report.qty'), t('rma.report.line')],
          r.parts.map((part) => [data(part.name), money(part.unitCostFen), String(part.qty), money(part.unitCostFen * part.qty)]),
          t('rma.report.noParts'),
        ),
    facts([
      [t('rma.report.charged'), t(RULE_WORDS[r.charges.rule])],
      [t('rma.report.parts'), yuan(r.charges.partsFen)],
      [
        t('rma.report.fee'),
        r.damageDegree ? t('rma.report.feeWithDamage', { amount: yuan(r.charges.feeFen), degree: r.damageDegree }) : yuan(r.charges.feeFen),
      ],
      [t('rma.report.total'), h('strong', { id: 'repair-total' }, yuan(r.charges.totalFen))],
      ...freightRows(r.charges),
      [t('rma.report.written'), tNodes('rma.byAt', { by: data(r.writtenBy), at: when(r.writtenAt) })],
      [t('rma.report.sent'), r.sentAt === null ? t('rma.report.notYet') : when(r.sentAt)],
      [
        t('rma.report.decision'),
        d ? tNodes('rma.report.decisionLine', { by: data(d.recordedBy), decision: d.decision, at: when(d.recordedAt) }) : null,
      ],
      [
        t('rma.report.payment'),
        p
          ? tNodes('rma.report.paymentLine', {
              reference: data(p.reference),
              by: data(p.recordedBy),
              amount: yuan(p.amountFen),
              at: when(p.recordedAt),
            })
          : null,
      ],
      // The customer's word from the portal; the payment above is after-sales' confirmation.
      ...remittanceRows(view.ticket.customerRemittances ?? []),
      [
        t('rma.report.finalTest'),
        ft
          ? [
              ...tNodes('rma.report.finalTestLine', { by: data(ft.testedBy), passed: ft.passed ? 'yes' : 'no', at: when(ft.testedAt) }),
              data(ft.results),
            ]
          : null,
      ],
    ]),
  );
}

/**
 * Remittances the customer reported in the portal, shown until after-sales confirms the money.
 * @param {NonNullable<TicketView['ticket']['customerRemittances']>} reported
 * @returns {[string, Child | Child[]][]}
 */
function remittanceRows(reported) {
  if (reported.length === 0) return [];
  const lines = reported.flatMap((m, i) => [
    i > 0 ? t('rma.report.lineSeparator') : '',
    ...tNodes('rma.report.remittanceLine', {
      reference: data(m.reference),
      by: data(m.recordedBy),
      amount: yuan(m.amountFen),
      at: when(m.recordedAt),
    }),
  ]);
  return [[t('rma.report.remittances'), h('span', { id: 'customer-remittances' }, lines)]];
}

/**
 * Seed, "Transportation cost": the freight both ways is the customer's; reports written before
 * freight was recorded have no line.
 * @param {NonNullable<TicketView['ticket']['repairReport']>['charges']} c
 * @returns {[string, Child | Child[]][]}
 */
function freightRows(c) {
  if (!c.freight) return [];
  return [
    [t('rma.report.freight'), h('span', { id: 'repair-freight' }, c.freight.fen === null ? t('rma.report.freightMissing') : yuan(c.freight.fen))],
    [t('rma.report.freightRule'), t('rma.report.freightRuleText')],
    [t('rma.report.due'), h('strong', { id: 'repair-due' }, yuan(c.dueFen ?? c.totalFen))],
  ];
}

/** The box on its way in and back. @param {TicketView} view */
export function shipping(view) {
  const { inbound: i, outbound: o } = view.ticket;
  return facts([
    [
      t('rma.shipping.inbound'),
      i
        ? tNodes('rma.shipping.inboundLine', {
            carrier: data(i.carrier),
            tracking: data(i.trackingNumber),
            insured: i.insured === true ? 'yes' : i.insured === false ? 'no' : 'unknown',
            at: when(i.recordedAt),
          })
        : null,
    ],
    [t('rma.shipping.received'), view.ticket.receivedAt === null ? null : when(view.ticket.receivedAt)],
    [
      t('rma.shipping.outbound'),
      o
        ? tNodes('rma.shipping.outboundLine', {
            carrier: data(o.carrier),
            tracking: data(o.trackingNumber),
            repaired: o.repaired ? 'yes' : 'no',
            at: when(o.shippedAt),
          })
        : null,
    ],
  ]);
}

/**
 * Every deadline of the ticket: when it falls due (in the account's zone, the zone named), and
 * running ones count down, in working days where the rules count in them; the rest say how
 * they ended.
 * @param {TicketView} view
 * @param {WorkingCalendar | null} calendar
 */
export function deadlines(view, calendar) {
  const list = view.ticket.deadlines;
  if (list.length === 0) return h('p', { class: 'empty' }, t('rma.deadline.none'));
  return h(
    'ul',
    { class: 'rma-deadlines', id: 'ticket-deadlines' },
    list.map((d) => {
      const workingDays = workingDaysLeft(d, calendar);
      return h(
        'li',
        { class: 'rma-item', 'data-kind': d.kind },
        h('strong', {}, deadlineTitle(d.kind)),
        ' ',
        h('span', { class: 'rma-due' }, tNodes('rma.deadline.dueAt', { date: h('time', { class: 'rma-due-at' }, formatDeadline(d.dueAt)) })),
        ' ',
        workingDays ? [workingDays, ' · '] : null,
        running(d)
          ? countdownOf(d)
          : h(
              'span',
              { class: 'muted' },
              d.firedAt !== null ? t('rma.deadline.passed', { at: when(d.firedAt) }) : t('rma.deadline.settled', { at: when(d.cancelledAt) }),
            ),
        d.unofficialYears.length > 0 ? [' ', provisional(d.unofficialYears)] : null,
      );
    }),
  );
}
