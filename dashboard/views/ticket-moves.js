import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { errorText } from '../error-words.js';
import { formDialog } from '../ui.js';
import { words } from './rma-words.js';

/** @typedef {import('../api.js').TicketView} TicketView */
/** @typedef {TicketView['moves'][number]} Move */
/** @typedef {import('../ui.js').Field} Field */
/** @typedef {import('../ui.js').FormValues} FormValues */
/** @typedef {{ fields: Field[], intro?: import('../dom.js').Child | import('../dom.js').Child[], send: (v: FormValues) => Promise<unknown> }} MoveForm */

const CANCEL_RESOLUTIONS = [
  { value: 'solved-remotely', label: 'Solved remotely' },
  { value: 'customer-withdrew', label: 'The customer withdrew' },
  { value: 'duplicate', label: 'A duplicate of another ticket' },
  { value: 'other', label: 'Other (say why)' },
];
const CLOSURES = [
  { value: 'customer-confirmed', label: 'The customer confirmed receipt' },
  { value: 'feedback-period-over', label: 'The feedback week passed without a word' },
];
const DAMAGE = [
  { value: '', label: 'Not needed (free or parts only)' },
  { value: 'minor', label: 'Minor' },
  { value: 'moderate', label: 'Moderate' },
  { value: 'severe', label: 'Severe' },
];

// Seed, "Transportation cost": the customer bears the freight; the return freight is billed.
/** @type {import('../ui.js').Field} */
const FREIGHT_FIELD = {
  name: 'freightFen',
  label: 'Return freight (yuan), paid by the customer',
  type: 'money',
  hint: 'leave empty if not known yet',
};

/** @param {string} text */
const sentence = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** @type {(v: FormValues, name: string) => string} */
const text = (v, name) => String(v[name] ?? '');

/**
 * Parts as the technician lists them, one per line: "name, unit cost in yuan, quantity".
 * @param {string} lines
 */
export function parseParts(lines) {
  return lines
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line, i) => {
      const cells = line.split(',').map((c) => c.trim());
      const qty = Number(cells.pop());
      const yuan = Number(cells.pop());
      const name = cells.join(', ');
      if (!name || !Number.isFinite(yuan) || yuan < 0 || !Number.isInteger(qty) || qty < 1) {
        throw new Error(`Part line ${i + 1}: write "name, unit cost in yuan, quantity", e.g. "4G module, 180, 1".`);
      }
      return { name, unitCostFen: Math.round(yuan * 100), qty };
    });
}

/**
 * The form each move needs: exactly the fields of its payload in the transition table, plus
 * why (the audit trail's words), and the call that makes it.
 * @param {TicketView} view
 * @param {Move} move
 * @returns {MoveForm}
 */
function moveForm(view, move) {
  const from = view.ticket.state;
  const reason = { name: 'reason', label: 'Why (for the audit trail)', required: true, value: sentence(move.summary), maxLength: 2000 };
  /** @param {FormValues} v @param {Record<string, unknown>} [payload] */
  const transition = (v, payload) =>
    api(`/tickets/${view.id}/transitions`, { method: 'POST', body: { to: move.to, reason: text(v, 'reason'), ...(payload ? { payload } : {}) } });

  switch (`${from}->${move.to}`) {
    case 'registered->warranty-confirmed': {
      const w = view.warranty;
      const confirmed = view.exclusions.filter((f) => f.status === 'confirmed').map((f) => f.exclusion);
      return {
        intro: [
          h(
            'p',
            {},
            w?.inWarranty === true
              ? `In warranty until ${w.end}.`
              : w?.inWarranty === false
                ? `Out of warranty since ${w.end}.`
                : 'Warranty unknown.',
          ),
          h('p', {}, confirmed.length === 0 ? 'In scope: no exclusion confirmed.' : `Out of scope: ${confirmed.map(words).join(', ')}.`),
          h('p', { class: 'muted' }, 'The customer is told, and transport insurance is recommended.'),
        ],
        fields: [
          reason,
          { name: 'customised', label: 'Customised product (its own repair cycle)', type: 'checkbox' },
          { name: 'repairCycleDays', label: 'Repair cycle of the customised product, working days', type: 'number', min: 1, max: 365 },
        ],
        send: (v) => transition(v, v.customised === true ? { customised: true, repairCycleDays: v.repairCycleDays } : {}),
      };
    }
    case 'registered->cancelled':
    case 'warranty-confirmed->cancelled':
    case 'awaiting-product->cancelled':
      return {
        fields: [{ name: 'resolution', label: 'Resolution', type: 'select', options: CANCEL_RESOLUTIONS, required: true }, reason],
        send: (v) => transition(v, { resolution: v.resolution }),
      };
    case 'awaiting-product->in-transit':
      return {
        fields: [
          { name: 'carrier', label: 'Carrier', required: true, maxLength: 100 },
          { name: 'trackingNumber', label: 'Tracking number', required: true, maxLength: 100 },
          { name: 'insured', label: 'Transport insurance bought', type: 'checkbox' },
          reason,
        ],
        send: (v) => transition(v, { carrier: v.carrier, trackingNumber: v.trackingNumber, insured: v.insured }),
      };
    case 'received->diagnosed':
      return {
        intro: 'The charges are computed from the warranty, the scope, the parts and the damage degree.',
        fields: [
          { name: 'testResults', label: 'Test results', type: 'textarea', required: true },
          { name: 'parts', label: 'Parts, one per line: name, unit cost in yuan, quantity', type: 'textarea', hint: 'e.g. 4G module, 180, 1' },
          { name: 'damageDegree', label: 'Damage degree (sets the maintenance fee out of warranty)', type: 'select', options: DAMAGE },
          FREIGHT_FIELD,
          reason,
        ],
        send: (v) =>
          api(`/tickets/${view.id}/repair-report`, {
            method: 'POST',
            body: {
              testResults: v.testResults,
              parts: parseParts(text(v, 'parts')),
              ...(v.damageDegree ? { damageDegree: v.damageDegree } : {}),
              ...(typeof v.freightFen === 'number' ? { freightFen: v.freightFen } : {}),
              reason: v.reason,
            },
          }),
      };
    case 'diagnosed->awaiting-decision':
      return {
        intro: 'The Repair Report goes to the customer to confirm the cost. The customer bears the freight both ways.',
        fields: [FREIGHT_FIELD, reason],
        send: (v) =>
          api(`/tickets/${view.id}/cost-confirmation`, {
            method: 'POST',
            body: { ...(typeof v.freightFen === 'number' ? { freightFen: v.freightFen } : {}), reason: v.reason },
          }),
      };
    case 'awaiting-payment->repairing': {
      // The repair plus the return freight, when entered.
      const charges = view.ticket.repairReport?.charges;
      const total = charges?.dueFen ?? charges?.totalFen;
      return {
        fields: [
          {
            name: 'amount',
            label: 'Amount received (yuan)',
            type: 'money',
            required: true,
            value: total === undefined ? undefined : (total / 100).toFixed(2),
          },
          { name: 'reference', label: 'Remittance reference', required: true, maxLength: 200 },
          reason,
        ],
        send: (v) => transition(v, { payment: { amountFen: v.amount, reference: v.reference } }),
      };
    }
    case 'repaired->tested':
    case 'repaired->repairing':
      return {
        fields: [{ name: 'testResults', label: 'Final test results', type: 'textarea', required: true }, reason],
        send: (v) => transition(v, { testResults: v.testResults }),
      };
    case 'tested->shipped-back':
    case 'returned-unrepaired->shipped-back':
      return {
        fields: [
          { name: 'carrier', label: 'Carrier', required: true, maxLength: 100 },
          { name: 'trackingNumber', label: 'Tracking number', required: true, maxLength: 100 },
          reason,
        ],
        send: (v) => transition(v, { carrier: v.carrier, trackingNumber: v.trackingNumber }),
      };
    case 'shipped-back->closed':
      return {
        fields: [{ name: 'closure', label: 'How it ends', type: 'select', options: CLOSURES, required: true }, reason],
        send: (v) => transition(v, { closure: v.closure }),
      };
    default:
      // Every other move carries nothing but its reason.
      return { fields: [reason], send: (v) => transition(v) };
  }
}

/**
 * The moves the signed-in role may make from the ticket's state, each a button labelled with
 * the move's own summary that opens the form its payload needs. Moves of other roles are
 * named, not offered, so the person knows who is next.
 * @param {TicketView} view
 * @param {import('../app.js').Account['role']} role
 * @param {() => Promise<void>} reload
 */
export function moveButtons(view, role, reload) {
  const mine = view.moves.filter((m) => m.roles.includes(role));
  const others = view.moves.filter((m) => !m.roles.includes(role));
  const buttons = mine.map((move) => {
    const button = h(
      'button',
      { type: 'button', class: move.to === 'cancelled' ? 'danger' : undefined, 'data-move': move.to, disabled: move.blockedBy !== null },
      sentence(move.summary),
    );
    if (move.blockedBy !== null) {
      // The server would refuse it as the ticket stands: say why instead of letting it fail.
      const why = errorText(new ApiError(409, move.blockedBy, null));
      return h('span', { class: 'rma-move-blocked' }, button, h('small', { class: 'muted' }, `Not yet: ${why}`));
    }
    button.addEventListener('click', async () => {
      const form = moveForm(view, move);
      const done = await formDialog({
        title: `${words(view.ticket.state)} → ${words(move.to)}`,
        intro: form.intro,
        fields: form.fields,
        submit: words(move.to),
        danger: move.to === 'cancelled',
        onSubmit: async (v) => {
          await form.send(v);
          return true;
        },
      });
      if (done) await reload();
    });
    return h('span', {}, button);
  });
  return h(
    'div',
    { class: 'rma-moves' },
    buttons.length > 0
      ? h('div', { class: 'rma-move-buttons' }, buttons)
      : view.moves.length > 0
        ? h('p', { class: 'muted' }, 'Nothing for your role to do in this state.')
        : h('p', { class: 'muted' }, 'The ticket is finished: no more moves.'),
    others.length > 0
      ? h(
          'ul',
          { class: 'rma-others muted' },
          others.map((m) => h('li', {}, `${sentence(m.summary)} (${m.roles.filter((r) => r !== 'admin').join(', ') || 'admin'})`)),
        )
      : null,
  );
}
