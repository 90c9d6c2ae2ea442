import { badge, h, table, when } from '../dom.js';
import { yuan } from '../ui.js';
import { countdownOf, deadlineWords, provisional, running, words } from './rma-words.js';

/** @typedef {import('../api.js').TicketView} TicketView */
/** @typedef {import('../dom.js').Child} Child */

/**
 * A definition list of the facts that are known; unknown ones say so.
 * @param {[string, Child][]} rows
 */
export function facts(rows) {
  return h(
    'dl',
    { class: 'facts' },
    rows.flatMap(([term, value]) => [
      h('dt', {}, term),
      h('dd', {}, value === null || value === undefined || value === '' ? h('span', { class: 'muted' }, 'not on record') : value),
    ]),
  );
}

/** @param {boolean | null | undefined} v */
const yesNo = (v) => (v === true ? 'yes' : v === false ? 'no' : null);

/** The seed's Service Registration Form, pre-filled from the registry. @param {TicketView} view */
export function registrationForm(view) {
  const f = view.ticket.form;
  return facts([
    ['Customer', f.customerName],
    ['Contacts', f.contacts],
    ['Mailing address', f.mailingAddress],
    ['Contact number', f.contactNumber],
    ['Model', f.productModel],
    ['Serial', h('a', { href: `#/devices/${encodeURIComponent(view.ticket.serial)}`, class: 'mono' }, view.ticket.serial)],
    ['In warranty (customer says)', yesNo(f.inWarranty)],
    ['Previous repairs', f.previousRepairs ?? null],
    ['Fault', f.faultPhenomenon ? h('span', { class: 'pre' }, f.faultPhenomenon) : null],
    ['Suggestions', f.suggestions],
  ]);
}

/** The warranty on the day the fault was reported, with its reasons, and after-sales' confirmation once given. @param {TicketView} view */
export function warrantyDecision(view) {
  const w = view.warranty;
  const c = view.ticket.warranty;
  const verdict =
    w === null || w.inWarranty === null
      ? badge('warranty unknown', 'warn')
      : w.inWarranty
        ? badge(`in warranty until ${w.end}`, 'ok')
        : badge(`out of warranty since ${w.end}`, 'bad');
  return h(
    'div',
    {},
    h('p', { id: 'ticket-warranty-verdict' }, verdict),
    w
      ? h(
          'ul',
          { class: 'reasons' },
          w.reasons.map((r) => h('li', {}, r)),
        )
      : h('p', { class: 'muted' }, 'The box is not in the registry.'),
    c
      ? h(
          'p',
          { id: 'ticket-warranty-confirmed' },
          `Confirmed by ${c.confirmedBy} on ${when(c.confirmedAt)}: ${c.inWarranty ? 'in warranty' : 'out of warranty'}, `,
          c.inScope ? 'in scope.' : `out of scope (${c.exclusions.map(words).join(', ')}).`,
        )
      : h('p', { class: 'muted' }, 'Not confirmed by after-sales yet.'),
  );
}

const RULE_WORDS = { free: 'free of charge', 'parts-only': 'parts only', 'parts-and-fee': 'parts and maintenance fee' };

/** The technician's Repair Report with its computed charges, the customer's decision and payment. @param {TicketView} view */
export function repairReport(view) {
  const { repairReport: r, customerDecision: d, payment: p, finalTest: t } = view.ticket;
  if (!r) return h('p', { class: 'empty' }, 'No Repair Report yet: the technician writes it once the box is received.');
  return h(
    'div',
    { id: 'repair-report' },
    h('p', { class: 'pre' }, r.testResults),
    // Seed: a repaired part carries its own warranty, so each line says why it is free or charged.
    r.charges.lines
      ? table(
          ['Part', 'Unit cost', 'Qty', 'Charged', 'Why'],
          r.charges.lines.map((l) => [l.name, yuan(l.unitCostFen), String(l.qty), yuan(l.chargedFen), l.why]),
          'No parts.',
        )
      : table(
          ['Part', 'Unit cost', 'Qty', 'Line'],
          r.parts.map((part) => [part.name, yuan(part.unitCostFen), String(part.qty), yuan(part.unitCostFen * part.qty)]),
          'No parts.',
        ),
    facts([
      ['Charged', RULE_WORDS[r.charges.rule]],
      ['Parts', yuan(r.charges.partsFen)],
      ['Maintenance fee', `${yuan(r.charges.feeFen)}${r.damageDegree ? ` (${r.damageDegree} damage)` : ''}`],
      ['Total', h('strong', { id: 'repair-total' }, yuan(r.charges.totalFen))],
      ['Why', r.charges.explanation ?? null],
      ...freightRows(r.charges),
      ['Written', `${r.writtenBy}, ${when(r.writtenAt)}`],
      ['Sent to the customer', r.sentAt === null ? 'not yet' : when(r.sentAt)],
      ['Customer decision', d ? `${d.decision} (recorded by ${d.recordedBy}, ${when(d.recordedAt)})` : null],
      ['Payment', p ? `${yuan(p.amountFen)}, reference ${p.reference} (recorded by ${p.recordedBy}, ${when(p.recordedAt)})` : null],
      // The customer's word from the portal; the payment above is after-sales' confirmation.
      ...remittanceRows(view.ticket.customerRemittances ?? []),
      ['Final test', t ? `${t.passed ? 'passed' : 'failed'} (${t.testedBy}, ${when(t.testedAt)}): ${t.results}` : null],
    ]),
  );
}

/**
 * Remittances the customer reported in the portal, shown until after-sales confirms the money.
 * @param {NonNullable<TicketView['ticket']['customerRemittances']>} reported
 * @returns {[string, Child][]}
 */
function remittanceRows(reported) {
  if (reported.length === 0) return [];
  const lines = reported.map((m) => `${yuan(m.amountFen)}, reference ${m.reference} (${m.recordedBy}, ${when(m.recordedAt)})`);
  return [['Remittance reported by the customer', h('span', { id: 'customer-remittances' }, lines.join('; '))]];
}

/**
 * Seed, "Transportation cost": the freight both ways is the customer's; reports written before
 * freight was recorded have no line.
 * @param {NonNullable<TicketView['ticket']['repairReport']>['charges']} c
 * @returns {[string, Child][]}
 */
function freightRows(c) {
  if (!c.freight) return [];
  return [
    [
      'Freight (paid by the customer)',
      h('span', { id: 'repair-freight' }, c.freight.fen === null ? 'return freight not entered yet' : yuan(c.freight.fen)),
    ],
    ['Freight rule', c.freight.explanation],
    ['Due from the customer', h('strong', { id: 'repair-due' }, yuan(c.dueFen ?? c.totalFen))],
  ];
}

/** The box on its way in and back. @param {TicketView} view */
export function shipping(view) {
  const { inbound: i, outbound: o } = view.ticket;
  return facts([
    [
      'Inbound',
      i
        ? `${i.carrier} ${i.trackingNumber}${i.insured === true ? ', insured' : i.insured === false ? ', not insured' : ''} (${when(i.recordedAt)})`
        : null,
    ],
    ['Received', view.ticket.receivedAt === null ? null : when(view.ticket.receivedAt)],
    ['Outbound', o ? `${o.carrier} ${o.trackingNumber}, ${o.repaired ? 'repaired' : 'unrepaired'} (${when(o.shippedAt)})` : null],
  ]);
}

/** Every deadline of the ticket: running ones count down, the rest say how they ended. @param {TicketView} view */
export function deadlines(view) {
  const list = view.ticket.deadlines;
  if (list.length === 0) return h('p', { class: 'empty' }, 'No deadlines.');
  return h(
    'ul',
    { class: 'rma-deadlines', id: 'ticket-deadlines' },
    list.map((d) =>
      h(
        'li',
        { class: 'rma-item', 'data-kind': d.kind },
        h('strong', {}, words(deadlineWords(d.kind))),
        ` due ${d.dueDate} `,
        running(d)
          ? countdownOf(d)
          : h('span', { class: 'muted' }, d.firedAt !== null ? `passed ${when(d.firedAt)}` : `settled ${when(d.cancelledAt)}`),
        d.unofficialYears.length > 0 ? [' ', provisional(d.unofficialYears)] : null,
      ),
    ),
  );
}
