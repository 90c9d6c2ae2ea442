import { badge, h } from '../dom.js';
import { liveCountdown } from '../ui.js';

/*
 * The portal's words for a repair: what happens now and who acts next, in sentences a plant's
 * maintenance lead reads without knowing our process. Typed against the RMA state union, so a
 * new state without words fails the dashboard's type check.
 */

/** @typedef {import('../api.js').PortalTicket} PortalTicket */
/** @typedef {PortalTicket['state']} RmaState */
/** @typedef {PortalTicket['deadlines'][number]} PortalDeadline */

/** @type {Record<RmaState, { now: string, next: string }>} */
const STATE_WORDS = {
  registered: {
    now: 'We have your repair request.',
    next: 'Our after-sales team will call you to check the warranty and the fault.',
  },
  'warranty-confirmed': {
    now: 'We have checked the warranty with you.',
    next: 'We will send you the shipping instructions.',
  },
  'awaiting-product': {
    now: 'Please send us the box.',
    next: 'Pack the box with the registration form, back up its parameters, and enter the carrier and tracking number here. Transport insurance is recommended.',
  },
  'in-transit': { now: 'The box is on its way to our repair centre.', next: 'We will confirm when it arrives.' },
  received: { now: 'Your box arrived at our repair centre.', next: 'A technician is testing it and will write the Repair Report.' },
  diagnosed: { now: 'The technician has written the Repair Report.', next: 'We will send it to you with the cost.' },
  'awaiting-decision': {
    now: 'The Repair Report and its cost are ready for you.',
    next: 'Please accept or decline the cost within 5 working days.',
  },
  postponed: {
    now: 'We did not hear your decision in time, so the repair moved to the next maintenance cycle.',
    next: 'You can still accept or decline the cost.',
  },
  'awaiting-payment': {
    now: 'You accepted the cost.',
    next: 'Please pay within 30 working days and tell us the payment reference; the repair starts when we receive it.',
  },
  repairing: { now: 'Your box is being repaired.', next: 'We will test it when the repair is done.' },
  repaired: { now: 'The repair is done.', next: 'We are running the final test.' },
  tested: { now: 'The box passed the final test.', next: 'We will ship it back to you.' },
  'returned-unrepaired': { now: 'The box will go back to you without repair.', next: 'We will ship it back to you.' },
  'shipped-back': { now: 'The box is on its way back to you.', next: 'Please confirm here when it arrives.' },
  closed: { now: 'This repair is finished.', next: 'Nothing more to do.' },
  cancelled: { now: 'This request was closed without a repair.', next: 'Nothing more to do.' },
};

/** What happens now, in a sentence. @param {RmaState} state */
export function stateNow(state) {
  return STATE_WORDS[state].now;
}

/** What happens next, in a sentence. @param {RmaState} state */
export function stateNext(state) {
  return STATE_WORDS[state].next;
}

/** @type {Record<PortalTicket['waitingFor'], string>} */
const WAITING_WORDS = { customer: 'Your turn', vendor: 'With us', nobody: 'Finished' };
/** @type {Record<PortalTicket['waitingFor'], string>} */
const WAITING_TONES = { customer: 'warn', vendor: 'info', nobody: '' };

/** Who acts next, as a badge. @param {PortalTicket['waitingFor']} who */
export function waitingBadge(who) {
  return badge(WAITING_WORDS[who], WAITING_TONES[who]);
}

/** @type {Record<PortalDeadline['kind'], string>} */
const DEADLINE_WORDS = {
  'first-response': 'We answer your request by',
  'repair-cycle': 'We aim to finish the repair by',
  decision: 'Please decide on the cost by',
  payment: 'Please pay by',
  feedback: 'Tell us how the box works by',
};

/**
 * A deadline as a sentence with its date and the time left, kept current (ui.js `tickCountdowns`).
 * @param {PortalDeadline} d
 */
export function deadlineLine(d) {
  return h(
    'li',
    { class: `portal-deadline ${d.owner === 'customer' ? 'yours' : ''}`.trim() },
    `${DEADLINE_WORDS[d.kind]} ${d.dueDate} `,
    h('span', { class: 'muted' }, '(', liveCountdown(d.dueAt), ')'),
  );
}

/**
 * The box's warranty in one line.
 * @param {import('../api.js').PortalDevice['warranty']} w
 */
export function warrantyLine(w) {
  if (w.inWarranty === true) return badge(`In warranty until ${w.end}`, 'ok');
  if (w.inWarranty === false) return badge(`Warranty ended ${w.end}`, 'warn');
  return badge('Warranty not known yet', '');
}

/**
 * Online now, or when the box was last heard from.
 * @param {import('../api.js').PortalDevice['presence']} p
 */
export function presenceLine(p) {
  if (p.online) return badge('Online', 'ok');
  return badge(p.lastSeen === null ? 'Never connected' : `Offline since ${new Date(p.lastSeen).toLocaleString()}`, '');
}

/** @typedef {NonNullable<NonNullable<PortalTicket['report']>['charges']['lines']>[number]} ChargeLine */
/** @type {Record<ChargeLine['basis'], string>} */
const CHARGE_BASIS_WORDS = {
  'box-warranty': "Free: the box's warranty covers it",
  'part-warranty': "Free: the part's own repair warranty covers it",
  excluded: 'Charged: the warranty does not cover this fault',
  'out-of-warranty': "Charged: the box's warranty has ended",
};
/** @param {ChargeLine['basis']} basis */
export function chargeBasis(basis) {
  return CHARGE_BASIS_WORDS[basis];
}
