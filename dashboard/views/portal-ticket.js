import { api } from '../api.js';
import { h, when } from '../dom.js';
import { actionButton, confirmDialog, formDialog, section, tickCountdowns, yuan } from '../ui.js';
import { chargeBasis, deadlineLine, stateNext, stateNow, waitingBadge } from './portal-words.js';

/** @typedef {import('../api.js').PortalTicket} PortalTicket */
/** @typedef {(t: PortalTicket) => void} Show */

/**
 * What happens now, who acts next, the deadlines and the repair clock.
 * @param {PortalTicket} t
 */
function statusBlock(t) {
  const clock = t.repairClock;
  return [
    h('p', { class: 'portal-now' }, waitingBadge(t.waitingFor), ' ', h('strong', {}, stateNow(t.state))),
    h('p', {}, stateNext(t.state)),
    t.deadlines.length > 0
      ? h(
          'ul',
          { class: 'portal-deadlines' },
          t.deadlines.map((d) => deadlineLine(d)),
        )
      : null,
    clock
      ? h(
          'p',
          { class: 'muted', 'data-testid': 'repair-clock' },
          // Seed: the cycle excludes transport and the time taken to decide and pay.
          `Repair time: ${clock.workingDaysUsed} of ${clock.cycleDays} working days used` +
            (clock.running ? '.' : ' (the clock stands still while you decide and pay, and once the repair is done).'),
        )
      : null,
    t.standby.state === 'dispatched'
      ? h(
          'p',
          {},
          `A standby unit ${t.standby.unitSerial ?? ''} was sent to you` +
            (t.standby.trackingNumber ? ` (${t.standby.carrier ?? ''} ${t.standby.trackingNumber})` : '') +
            '; please return it when your box is back.',
        )
      : t.standby.state === 'required'
        ? h('p', {}, 'The repair takes longer than promised: we are preparing a standby unit for you.')
        : null,
  ];
}

/**
 * The Repair Report: per-part lines with the reasons, the fee, the freight and the amount due;
 * accept or decline while the cost waits for the customer.
 * @param {PortalTicket} t
 * @param {Show} show
 */
function reportBlock(t, show) {
  const r = t.report;
  if (!r) return h('p', { class: 'empty' }, 'The Repair Report is sent to you once the technician has examined the box.');
  const c = r.charges;
  const lines =
    c.lines ?? r.parts.map((p) => ({ ...p, chargedFen: p.unitCostFen * p.qty, basis: /** @type {const} */ ('out-of-warranty'), why: '' }));
  /** @param {'accept' | 'decline'} decision */
  const decide = async (decision) => {
    const ok = await confirmDialog({
      title: decision === 'accept' ? 'Accept the cost?' : 'Decline the repair?',
      body:
        decision === 'accept'
          ? `You agree to pay ${yuan(c.dueFen ?? c.totalFen)}. We start the repair when your payment arrives.`
          : 'We will send the box back to you without repairing it. The return freight is yours.',
      confirm: decision === 'accept' ? 'Accept the cost' : 'Decline the repair',
    });
    if (ok) show(/** @type {PortalTicket} */ (await api(`/portal/tickets/${t.id}/decision`, { method: 'POST', body: { decision } })));
  };
  return [
    h('p', {}, h('strong', {}, 'Test results: '), r.testResults),
    // A list rather than a table: each part's reason stays readable on a phone.
    lines.length === 0
      ? h('p', { class: 'empty' }, 'No parts were needed.')
      : h(
          'ul',
          { class: 'portal-lines' },
          lines.map((l) =>
            h(
              'li',
              { class: 'portal-line' },
              h(
                'span',
                { class: 'portal-line-head' },
                h('strong', {}, l.name),
                ` × ${l.qty} at ${yuan(l.unitCostFen)}`,
                h('span', {}, yuan(l.chargedFen)),
              ),
              h('small', { class: 'muted' }, l.why || chargeBasis(l.basis)),
            ),
          ),
        ),
    h(
      'dl',
      { class: 'portal-facts portal-money' },
      h('dt', {}, 'Parts'),
      h('dd', {}, yuan(c.partsFen)),
      h('dt', {}, 'Maintenance fee'),
      h('dd', {}, yuan(c.feeFen), r.damageDegree ? ` (${r.damageDegree} damage)` : ''),
      h('dt', {}, 'Return freight (paid by you)'),
      h('dd', {}, c.freight?.fen !== null && c.freight?.fen !== undefined ? yuan(c.freight.fen) : 'not entered yet'),
      h('dt', {}, 'Amount due'),
      h('dd', { 'data-testid': 'amount-due' }, h('strong', {}, yuan(c.dueFen ?? c.totalFen))),
    ),
    c.explanation ? h('p', { class: 'muted' }, c.explanation) : null,
    t.decision
      ? h('p', {}, t.decision.decision === 'accepted' ? 'You accepted the cost on ' : 'You declined the repair on ', when(t.decision.recordedAt))
      : null,
    t.may.decide
      ? h(
          'div',
          { class: 'portal-actions' },
          actionButton('Accept the cost', () => decide('accept'), { testId: 'accept-cost' }),
          actionButton('Decline the repair', () => decide('decline'), { tone: 'secondary', testId: 'decline-cost' }),
        )
      : null,
  ];
}

/**
 * The customer's reported remittances and the payment after-sales confirmed.
 * @param {PortalTicket} t
 * @param {Show} show
 */
function paymentBlock(t, show) {
  const report = async () => {
    const done = await formDialog({
      title: 'Report your payment',
      intro: h('p', { class: 'muted' }, 'Tell us what you paid and the bank reference; we confirm when the money arrives.'),
      fields: [
        { name: 'amount', label: 'Amount (¥)', type: 'money', required: true },
        { name: 'reference', label: 'Payment reference', required: true, maxLength: 200 },
      ],
      submit: 'Report the payment',
      onSubmit: async (v) =>
        /** @type {PortalTicket} */ (
          await api(`/portal/tickets/${t.id}/remittance`, { method: 'POST', body: { amountFen: v.amount, reference: v.reference } })
        ),
    });
    if (done) show(done);
  };
  return [
    t.remittances.length > 0
      ? h(
          'ul',
          { class: 'portal-remittances' },
          t.remittances.map((r) =>
            h('li', {}, `You reported ${yuan(r.amountFen)}, reference `, h('span', { class: 'mono' }, r.reference), ` on ${when(r.recordedAt)}`),
          ),
        )
      : null,
    t.payment
      ? h('p', {}, `We received your payment of ${yuan(t.payment.amountFen)} on ${when(t.payment.recordedAt)}.`)
      : t.may.recordPayment
        ? actionButton('Report a payment', report, { testId: 'report-payment' })
        : t.remittances.length === 0
          ? h('p', { class: 'empty' }, 'Nothing to pay now.')
          : null,
  ];
}

/**
 * Shipping both ways: the box to our repair centre, and back to the customer.
 * @param {PortalTicket} t
 * @param {Show} show
 */
function shippingBlock(t, show) {
  const ship = async () => {
    const done = await formDialog({
      title: 'I have shipped the box',
      intro: h('p', { class: 'muted' }, 'Enclose the registration form; transport insurance is recommended. The freight is yours.'),
      fields: [
        { name: 'carrier', label: 'Carrier', required: true, maxLength: 100 },
        { name: 'trackingNumber', label: 'Tracking number', required: true, maxLength: 100 },
        { name: 'insured', label: 'I bought transport insurance', type: 'checkbox' },
      ],
      submit: 'Save',
      onSubmit: async (v) =>
        /** @type {PortalTicket} */ (
          await api(`/portal/tickets/${t.id}/shipment`, {
            method: 'POST',
            body: { carrier: v.carrier, trackingNumber: v.trackingNumber, insured: v.insured === true },
          })
        ),
    });
    if (done) show(done);
  };
  const receipt = async () => {
    const ok = await confirmDialog({ title: 'Box received?', body: 'This closes the repair request.', confirm: 'Yes, I received it' });
    if (ok) show(/** @type {PortalTicket} */ (await api(`/portal/tickets/${t.id}/receipt`, { method: 'POST' })));
  };
  const inbound = t.inbound;
  const outbound = t.outbound;
  return h(
    'dl',
    { class: 'portal-facts' },
    h('dt', {}, 'To our repair centre'),
    h(
      'dd',
      { 'data-testid': 'inbound' },
      inbound
        ? [
            `${inbound.carrier} `,
            h('span', { class: 'mono' }, inbound.trackingNumber),
            ` · sent ${when(inbound.recordedAt)}${inbound.insured === true ? ' · insured' : ''}`,
          ]
        : t.may.ship
          ? actionButton('I have shipped the box', ship, { testId: 'ship-box' })
          : 'not shipped yet',
    ),
    h('dt', {}, 'Back to you'),
    h(
      'dd',
      { 'data-testid': 'outbound' },
      outbound
        ? [
            `${outbound.carrier} `,
            h('span', { class: 'mono' }, outbound.trackingNumber),
            ` · shipped ${when(outbound.shippedAt)}${outbound.repaired ? '' : ' (not repaired)'}`,
          ]
        : 'not shipped yet',
      t.may.confirmReceipt ? actionButton('I received the box', receipt, { testId: 'confirm-receipt' }) : null,
    ),
  );
}

/**
 * The Service Registration Form as sent.
 * @param {PortalTicket} t
 */
function formBlock(t) {
  const f = t.form;
  /** @type {[string, string | number | boolean | null | undefined][]} */
  const rows = [
    ['Company', f.customerName],
    ['Contact person', f.contacts],
    ['Phone', f.contactNumber],
    ['Address', f.mailingAddress],
    ['Model', f.productModel],
    ['Serial', f.serialNumber],
    ['In warranty (your view)', f.inWarranty === true ? 'yes' : f.inWarranty === false ? 'no' : 'not sure'],
    ['Previous repairs', f.previousRepairs],
    ['Fault', f.faultPhenomenon],
    ['Notes', f.suggestions],
  ];
  return h(
    'dl',
    { class: 'portal-facts' },
    rows.filter(([, v]) => v !== undefined && v !== null).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]),
  );
}

/** One repair request as the customer follows it. */
export const portalTicketView = {
  title: 'Repair',
  channels: /** @type {const} */ ([]),
  /**
   * @param {HTMLElement} container
   * @param {string[]} params
   */
  mount(container, [id]) {
    const status = section(`Repair request #${id}`);
    const report = section('Repair Report and cost');
    const payment = section('Payment');
    const shipping = section('Shipping');
    const form = section('Your registration form');
    container.append(
      h(
        'div',
        { class: 'portal-page' },
        h('p', {}, h('a', { href: '#/portal/tickets' }, '← Repairs')),
        status.el,
        report.el,
        payment.el,
        shipping.el,
        form.el,
      ),
    );
    tickCountdowns(status.el);
    /** @type {Show} */
    const show = (t) => {
      status.show([
        h('p', { class: 'muted' }, 'Box ', h('a', { href: `#/portal/devices/${encodeURIComponent(t.serial)}` }, t.serial)),
        ...statusBlock(t),
      ]);
      report.show(reportBlock(t, show));
      payment.show(paymentBlock(t, show));
      shipping.show(shippingBlock(t, show));
      form.show(formBlock(t));
    };
    return async () => {
      try {
        show(/** @type {PortalTicket} */ (await api(`/portal/tickets/${encodeURIComponent(/** @type {string} */ (id))}`)));
      } catch (err) {
        for (const s of [status, report, payment, shipping, form]) s.fail(err);
      }
    };
  },
};
