import { badge, data, h } from '../dom.js';
import { formatCalendarDate, formatDateTime, formatDeadline, t } from '../i18n.js';
import { liveCountdown } from '../ui.js';

/*
 * The portal's words for a repair: what happens now and who acts next, in sentences a plant's
 * maintenance lead reads without knowing our process. Typed against the RMA state union, so a
 * new state without words fails the dashboard's type check.
 */

/** @typedef {import('../api.js').PortalTicket} PortalTicket */
/** @typedef {PortalTicket['state']} RmaState */
/** @typedef {PortalTicket['deadlines'][number]} PortalDeadline */
/** @typedef {import('../i18n.js').MessageKey} MessageKey */
/** @typedef {import('../dom.js').Child} Child */

/** @type {Record<RmaState, { now: MessageKey, next: MessageKey }>} */
const STATE_WORDS = {
  registered: { now: 'portal.state.registered.now', next: 'portal.state.registered.next' },
  'warranty-confirmed': { now: 'portal.state.warranty-confirmed.now', next: 'portal.state.warranty-confirmed.next' },
  'awaiting-product': { now: 'portal.state.awaiting-product.now', next: 'portal.state.awaiting-product.next' },
  'in-transit': { now: 'portal.state.in-transit.now', next: 'portal.state.in-transit.next' },
  received: { now: 'portal.state.received.now', next: 'portal.state.received.next' },
  diagnosed: { now: 'portal.state.diagnosed.now', next: 'portal.state.diagnosed.next' },
  'awaiting-decision': { now: 'portal.state.awaiting-decision.now', next: 'portal.state.awaiting-decision.next' },
  postponed: { now: 'portal.state.postponed.now', next: 'portal.state.postponed.next' },
  'awaiting-payment': { now: 'portal.state.awaiting-payment.now', next: 'portal.state.awaiting-payment.next' },
  repairing: { now: 'portal.state.repairing.now', next: 'portal.state.repairing.next' },
  repaired: { now: 'portal.state.repaired.now', next: 'portal.state.repaired.next' },
  tested: { now: 'portal.state.tested.now', next: 'portal.state.tested.next' },
  'returned-unrepaired': { now: 'portal.state.returned-unrepaired.now', next: 'portal.state.tested.next' },
  'shipped-back': { now: 'portal.state.shipped-back.now', next: 'portal.state.shipped-back.next' },
  closed: { now: 'portal.state.closed.now', next: 'portal.state.nothingMore' },
  cancelled: { now: 'portal.state.cancelled.now', next: 'portal.state.nothingMore' },
};

/** What happens now, in a sentence. @param {RmaState} state */
export function stateNow(state) {
  return t(STATE_WORDS[state].now);
}

/** What happens next, in a sentence. @param {RmaState} state */
export function stateNext(state) {
  return t(STATE_WORDS[state].next);
}

/** @type {Record<PortalTicket['waitingFor'], MessageKey>} */
const WAITING_WORDS = { customer: 'portal.waiting.customer', vendor: 'portal.waiting.vendor', nobody: 'portal.waiting.nobody' };
/** @type {Record<PortalTicket['waitingFor'], string>} */
const WAITING_TONES = { customer: 'warn', vendor: 'info', nobody: '' };

/** Who acts next, as a badge. @param {PortalTicket['waitingFor']} who */
export function waitingBadge(who) {
  return badge(t(WAITING_WORDS[who]), WAITING_TONES[who]);
}

/** @type {Record<PortalDeadline['kind'], MessageKey>} */
const DEADLINE_WORDS = {
  'first-response': 'portal.deadline.first-response',
  'repair-cycle': 'portal.deadline.repair-cycle',
  decision: 'portal.deadline.decision',
  payment: 'portal.deadline.payment',
  feedback: 'portal.deadline.feedback',
};

/**
 * A deadline as a sentence with its date, time and zone and the time left, kept current (ui.js
 * `tickCountdowns`).
 * @param {PortalDeadline} d
 */
export function deadlineLine(d) {
  return h(
    'li',
    { class: `portal-deadline ${d.owner === 'customer' ? 'yours' : ''}`.trim(), 'data-kind': d.kind },
    t(DEADLINE_WORDS[d.kind], { due: formatDeadline(d.dueAt) }),
    ' ',
    h('span', { class: 'muted' }, '(', liveCountdown(d.dueAt), ')'),
  );
}

/**
 * The box's warranty in one line.
 * @param {import('../api.js').PortalDevice['warranty']} w
 */
export function warrantyLine(w) {
  if (w.inWarranty === true) return badge(t('portal.warranty.until', { end: formatCalendarDate(w.end) }), 'ok');
  if (w.inWarranty === false) return badge(t('portal.warranty.ended', { end: formatCalendarDate(w.end) }), 'warn');
  return badge(t('portal.warranty.unknown'), '');
}

/**
 * Online now, or when the box was last heard from.
 * @param {import('../api.js').PortalDevice['presence']} p
 */
export function presenceLine(p) {
  if (p.online) return badge(t('portal.presence.online'), 'ok');
  return badge(p.lastSeen === null ? t('portal.presence.never') : t('portal.presence.offlineSince', { since: formatDateTime(p.lastSeen) }), '');
}

/** @typedef {NonNullable<NonNullable<PortalTicket['report']>['charges']['lines']>[number]} ChargeLine */
/** @type {Record<ChargeLine['basis'], MessageKey>} */
const CHARGE_BASIS_WORDS = {
  'box-warranty': 'portal.charge.box-warranty',
  'part-warranty': 'portal.charge.part-warranty',
  excluded: 'portal.charge.excluded',
  'out-of-warranty': 'portal.charge.out-of-warranty',
};
/** Why a part of the Repair Report is free or charged. @param {ChargeLine['basis']} basis */
export function chargeBasis(basis) {
  return t(CHARGE_BASIS_WORDS[basis]);
}

/** @type {Record<NonNullable<PortalTicket['report']>['charges']['rule'], MessageKey>} */
const CHARGE_RULE_WORDS = { free: 'portal.rule.free', 'parts-only': 'portal.rule.parts-only', 'parts-and-fee': 'portal.rule.parts-and-fee' };
/** Which of the seed's charging rules applies, in a sentence. @param {NonNullable<PortalTicket['report']>['charges']['rule']} rule */
export function chargeRule(rule) {
  return t(CHARGE_RULE_WORDS[rule]);
}

/** @type {Record<string, MessageKey>} */
const DAMAGE_WORDS = { minor: 'portal.damage.minor', moderate: 'portal.damage.moderate', severe: 'portal.damage.severe' };
/** The technician's degree of damage in words; a degree we have no words for, as written. @param {string} degree */
export function damageWords(degree) {
  const key = DAMAGE_WORDS[degree];
  return key ? t(key) : data(degree);
}
