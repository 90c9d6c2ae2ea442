import { api } from '../api.js';
import { data, h, tNodes, when } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, confirmDialog, formDialog, section, tickCountdowns, yuan } from '../ui.js';
import { chargeBasis, chargeRule, damageWords, deadlineLine, stateNext, stateNow, waitingBadge } from './portal-words.js';

/** @typedef {import('../api.js').PortalTicket} PortalTicket */
/** @typedef {(ticket: PortalTicket) => void} Show */

/** A carrier and tracking number as the customer or after-sales typed them. @param {string} text */
const mono = (text) => h('span', { class: 'mono', translate: 'no' }, text);

/**
 * What happens now, who acts next, the deadlines and the repair clock.
 * @param {PortalTicket} ticket
 */
function statusBlock(ticket) {
  const clock = ticket.repairClock;
  const standby = ticket.standby;
  return [
    h('p', { class: 'portal-now' }, waitingBadge(ticket.waitingFor), ' ', h('strong', {}, stateNow(ticket.state))),
    h('p', {}, stateNext(ticket.state)),
    ticket.deadlines.length > 0
      ? h(
          'ul',
          { class: 'portal-deadlines' },
          ticket.deadlines.map((d) => deadlineLine(d)),
        )
      : null,
    clock
      ? h(
          'p',
          { class: 'muted', 'data-testid': 'repair-clock' },
          // Seed: the cycle excludes transport and the time taken to decide and pay.
          t(clock.running ? 'portal.ticket.clockRunning' : 'portal.ticket.clockStopped', {
            used: clock.workingDaysUsed,
            cycle: clock.cycleDays,
          }),
        )
      : null,
    standby.state === 'dispatched'
      ? h(
          'p',
          {},
          standby.trackingNumber
            ? tNodes('portal.ticket.standbySentTracked', {
                unit: data(standby.unitSerial ?? ''),
                carrier: data(standby.carrier ?? ''),
                tracking: data(standby.trackingNumber),
              })
            : tNodes('portal.ticket.standbySent', { unit: data(standby.unitSerial ?? '') }),
        )
      : standby.state === 'required'
        ? h('p', {}, t('portal.ticket.standbyRequired'))
        : null,
  ];
}

/**
 * The Repair Report: per-part lines with the reasons, the fee, the freight and the amount due;
 * accept or decline while the cost waits for the customer.
 * @param {PortalTicket} ticket
 * @param {Show} show
 */
function reportBlock(ticket, show) {
  const r = ticket.report;
  if (!r) return h('p', { class: 'empty' }, t('portal.ticket.noReport'));
  const c = r.charges;
  const lines = c.lines ?? r.parts.map((p) => ({ ...p, chargedFen: p.unitCostFen * p.qty, basis: /** @type {const} */ ('out-of-warranty') }));
  /** @param {'accept' | 'decline'} decision */
  const decide = async (decision) => {
    const ok = await confirmDialog({
      title: decision === 'accept' ? t('portal.ticket.acceptTitle') : t('portal.ticket.declineTitle'),
      body: decision === 'accept' ? t('portal.ticket.acceptBody', { amount: yuan(c.dueFen ?? c.totalFen) }) : t('portal.ticket.declineBody'),
      confirm: decision === 'accept' ? t('portal.ticket.accept') : t('portal.ticket.decline'),
    });
    if (ok) show(/** @type {PortalTicket} */ (await api(`/portal/tickets/${ticket.id}/decision`, { method: 'POST', body: { decision } })));
  };
  return [
    h('p', {}, h('strong', {}, t('portal.ticket.testResults')), data(r.testResults)),
    // A list rather than a table: each part's reason stays readable on a phone. The reason is
    // worded here from its basis, so it reads in the page's language.
    lines.length === 0
      ? h('p', { class: 'empty' }, t('portal.ticket.noParts'))
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
                h('strong', {}, data(l.name)),
                t('portal.ticket.lineQty', { qty: l.qty, unit: yuan(l.unitCostFen) }),
                h('span', {}, yuan(l.chargedFen)),
              ),
              h('small', { class: 'muted' }, chargeBasis(l.basis)),
            ),
          ),
        ),
    h(
      'dl',
      { class: 'portal-facts portal-money' },
      h('dt', {}, t('portal.ticket.parts')),
      h('dd', {}, yuan(c.partsFen)),
      h('dt', {}, t('portal.ticket.fee')),
      h('dd', {}, r.damageDegree ? tNodes('portal.ticket.feeDamage', { fee: yuan(c.feeFen), degree: damageWords(r.damageDegree) }) : yuan(c.feeFen)),
      h('dt', {}, t('portal.ticket.freight')),
      h('dd', {}, c.freight?.fen !== null && c.freight?.fen !== undefined ? yuan(c.freight.fen) : t('portal.ticket.freightNotEntered')),
      h('dt', {}, t('portal.ticket.amountDue')),
      h('dd', { 'data-testid': 'amount-due' }, h('strong', {}, yuan(c.dueFen ?? c.totalFen))),
    ),
    h('p', { class: 'muted' }, chargeRule(c.rule)),
    ticket.decision
      ? h(
          'p',
          {},
          t(ticket.decision.decision === 'accepted' ? 'portal.ticket.acceptedOn' : 'portal.ticket.declinedOn', {
            at: when(ticket.decision.recordedAt),
          }),
        )
      : null,
    ticket.may.decide
      ? h(
          'div',
          { class: 'portal-actions' },
          actionButton(t('portal.ticket.accept'), () => decide('accept'), { testId: 'accept-cost' }),
          actionButton(t('portal.ticket.decline'), () => decide('decline'), { tone: 'secondary', testId: 'decline-cost' }),
        )
      : null,
  ];
}

/**
 * The customer's reported remittances and the payment after-sales confirmed.
 * @param {PortalTicket} ticket
 * @param {Show} show
 */
function paymentBlock(ticket, show) {
  const report = async () => {
    const done = await formDialog({
      title: t('portal.ticket.reportPaymentTitle'),
      intro: h('p', { class: 'muted' }, t('portal.ticket.reportPaymentIntro')),
      fields: [
        { name: 'amount', label: t('portal.ticket.amount'), type: 'money', required: true },
        { name: 'reference', label: t('portal.ticket.reference'), required: true, maxLength: 200 },
      ],
      submit: t('portal.ticket.reportPaymentSubmit'),
      onSubmit: async (v) =>
        /** @type {PortalTicket} */ (
          await api(`/portal/tickets/${ticket.id}/remittance`, { method: 'POST', body: { amountFen: v.amount, reference: v.reference } })
        ),
    });
    if (done) show(done);
  };
  return [
    ticket.remittances.length > 0
      ? h(
          'ul',
          { class: 'portal-remittances' },
          ticket.remittances.map((r) =>
            h('li', {}, tNodes('portal.ticket.remittance', { amount: yuan(r.amountFen), reference: mono(r.reference), at: when(r.recordedAt) })),
          ),
        )
      : null,
    ticket.payment
      ? h('p', {}, t('portal.ticket.paymentReceived', { amount: yuan(ticket.payment.amountFen), at: when(ticket.payment.recordedAt) }))
      : ticket.may.recordPayment
        ? actionButton(t('portal.ticket.reportPayment'), report, { testId: 'report-payment' })
        : ticket.remittances.length === 0
          ? h('p', { class: 'empty' }, t('portal.ticket.nothingToPay'))
          : null,
  ];
}

/**
 * Shipping both ways: the box to our repair centre, and back to the customer.
 * @param {PortalTicket} ticket
 * @param {Show} show
 */
function shippingBlock(ticket, show) {
  const ship = async () => {
    const done = await formDialog({
      title: t('portal.ticket.ship'),
      intro: h('p', { class: 'muted' }, t('portal.ticket.shipIntro')),
      fields: [
        { name: 'carrier', label: t('portal.ticket.carrier'), required: true, maxLength: 100 },
        { name: 'trackingNumber', label: t('portal.ticket.trackingNumber'), required: true, maxLength: 100 },
        { name: 'insured', label: t('portal.ticket.insured'), type: 'checkbox' },
      ],
      submit: t('common.save'),
      onSubmit: async (v) =>
        /** @type {PortalTicket} */ (
          await api(`/portal/tickets/${ticket.id}/shipment`, {
            method: 'POST',
            body: { carrier: v.carrier, trackingNumber: v.trackingNumber, insured: v.insured === true },
          })
        ),
    });
    if (done) show(done);
  };
  const receipt = async () => {
    const ok = await confirmDialog({
      title: t('portal.ticket.receivedTitle'),
      body: t('portal.ticket.receivedBody'),
      confirm: t('portal.ticket.receivedConfirm'),
    });
    if (ok) show(/** @type {PortalTicket} */ (await api(`/portal/tickets/${ticket.id}/receipt`, { method: 'POST' })));
  };
  const inbound = ticket.inbound;
  const outbound = ticket.outbound;
  return h(
    'dl',
    { class: 'portal-facts' },
    h('dt', {}, t('portal.ticket.toUs')),
    h(
      'dd',
      { 'data-testid': 'inbound' },
      inbound
        ? tNodes(inbound.insured === true ? 'portal.ticket.inboundInsured' : 'portal.ticket.inbound', {
            carrier: data(inbound.carrier),
            tracking: mono(inbound.trackingNumber),
            at: when(inbound.recordedAt),
          })
        : ticket.may.ship
          ? actionButton(t('portal.ticket.ship'), ship, { testId: 'ship-box' })
          : t('portal.ticket.notShipped'),
    ),
    h('dt', {}, t('portal.ticket.backToYou')),
    h(
      'dd',
      { 'data-testid': 'outbound' },
      outbound
        ? tNodes(outbound.repaired ? 'portal.ticket.outbound' : 'portal.ticket.outboundUnrepaired', {
            carrier: data(outbound.carrier),
            tracking: mono(outbound.trackingNumber),
            at: when(outbound.shippedAt),
          })
        : t('portal.ticket.notShipped'),
      ticket.may.confirmReceipt ? actionButton(t('portal.ticket.confirmReceipt'), receipt, { testId: 'confirm-receipt' }) : null,
    ),
  );
}

/**
 * The Service Registration Form as sent: the customer's own words, shown as typed.
 * @param {PortalTicket} ticket
 */
function formBlock(ticket) {
  const f = ticket.form;
  const belief = f.inWarranty === true ? t('portal.form.yes') : f.inWarranty === false ? t('portal.form.no') : t('portal.form.unsure');
  /** @param {string | number | null | undefined} value */
  const typed = (value) => (value === undefined || value === null ? null : data(String(value)));
  /** @type {[string, import('../dom.js').Child][]} */
  const rows = [
    [t('portal.form.company'), typed(f.customerName)],
    [t('portal.form.contact'), typed(f.contacts)],
    [t('portal.form.phone'), typed(f.contactNumber)],
    [t('portal.form.address'), typed(f.mailingAddress)],
    [t('portal.form.model'), typed(f.productModel)],
    [t('portal.form.serial'), typed(f.serialNumber)],
    [t('portal.form.inWarranty'), belief],
    [t('portal.form.previousRepairs'), typed(f.previousRepairs)],
    [t('portal.form.fault'), typed(f.faultPhenomenon)],
    [t('portal.form.notes'), typed(f.suggestions)],
  ];
  return h(
    'dl',
    { class: 'portal-facts' },
    rows.filter(([, v]) => v !== null).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );
}

/** One repair request as the customer follows it. */
export const portalTicketView = {
  get title() {
    return t('portal.ticket.title');
  },
  channels: /** @type {const} */ ([]),
  /**
   * @param {HTMLElement} container
   * @param {string[]} params
   */
  mount(container, [id]) {
    const status = section(t('portal.ticket.heading', { id: String(id) }));
    const report = section(t('portal.ticket.reportSection'));
    const payment = section(t('portal.ticket.paymentSection'));
    const shipping = section(t('portal.ticket.shippingSection'));
    const form = section(t('portal.ticket.formSection'));
    container.append(
      h(
        'div',
        { class: 'portal-page' },
        h('p', {}, h('a', { href: '#/portal/tickets' }, t('portal.ticket.back'))),
        status.el,
        report.el,
        payment.el,
        shipping.el,
        form.el,
      ),
    );
    tickCountdowns(status.el);
    /** @type {Show} */
    const show = (ticket) => {
      status.show([
        h(
          'p',
          { class: 'muted' },
          tNodes('portal.device.heading', { serial: h('a', { href: `#/portal/devices/${encodeURIComponent(ticket.serial)}` }, data(ticket.serial)) }),
        ),
        ...statusBlock(ticket),
      ]);
      report.show(reportBlock(ticket, show));
      payment.show(paymentBlock(ticket, show));
      shipping.show(shippingBlock(ticket, show));
      form.show(formBlock(ticket));
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
