import { api, ApiError } from '../api.js';
import { h, tNodes } from '../dom.js';
import { errorText } from '../error-words.js';
import { formatCalendarDate, t } from '../i18n.js';
import { formDialog } from '../ui.js';
import { serverWords, stateWords } from './rma-words.js';
import { roleWords } from '../words.js';

/** @typedef {import('../api.js').TicketView} TicketView */
/** @typedef {TicketView['moves'][number]} Move */
/** @typedef {import('../ui.js').Field} Field */
/** @typedef {import('../ui.js').FormValues} FormValues */
/** @typedef {{ fields: Field[], intro?: import('../dom.js').Child | import('../dom.js').Child[], send: (v: FormValues) => Promise<unknown> }} MoveForm */
/** @typedef {import('../i18n.js').MessageKey} MessageKey */

// Built when a dialog opens, so they are in the page's language of the moment.
const cancelResolutions = () => [
  { value: 'solved-remotely', label: t('rma.resolution.solved-remotely') },
  { value: 'customer-withdrew', label: t('rma.resolution.customer-withdrew') },
  { value: 'duplicate', label: t('rma.resolution.duplicate') },
  { value: 'other', label: t('rma.resolution.other') },
];
const closures = () => [
  { value: 'customer-confirmed', label: t('rma.closure.customer-confirmed') },
  { value: 'feedback-period-over', label: t('rma.closure.feedback-period-over') },
];
const damage = () => [
  { value: '', label: t('rma.damage.none') },
  { value: 'minor', label: t('rma.damage.minor') },
  { value: 'moderate', label: t('rma.damage.moderate') },
  { value: 'severe', label: t('rma.damage.severe') },
];

// Seed, "Transportation cost": the customer bears the freight; the return freight is billed.
/** @returns {import('../ui.js').Field} */
const freightField = () => ({
  name: 'freightFen',
  label: t('rma.form.freight'),
  type: 'money',
  hint: t('rma.form.freightHint'),
});

/**
 * The moves of the transition table (rma-transition-table.ts) in the page's words, by
 * `from->to`; the server's summary is their English original.
 * @type {Record<string, MessageKey>}
 */
const MOVE_WORDS = {
  'registered->warranty-confirmed': 'rma.move.confirmWarranty',
  'registered->cancelled': 'rma.move.cancel',
  'warranty-confirmed->awaiting-product': 'rma.move.shippingInstructions',
  'warranty-confirmed->cancelled': 'rma.move.cancel',
  'awaiting-product->in-transit': 'rma.move.inTransit',
  'awaiting-product->cancelled': 'rma.move.cancel',
  'in-transit->received': 'rma.move.received',
  'received->diagnosed': 'rma.move.repairReport',
  'diagnosed->repairing': 'rma.move.freeRepair',
  'diagnosed->awaiting-decision': 'rma.move.costConfirmation',
  'awaiting-decision->awaiting-payment': 'rma.move.accepted',
  'awaiting-decision->postponed': 'rma.move.postponed',
  'awaiting-decision->returned-unrepaired': 'rma.move.declined',
  'postponed->awaiting-decision': 'rma.move.backToDecision',
  'postponed->awaiting-payment': 'rma.move.accepted',
  'postponed->returned-unrepaired': 'rma.move.declined',
  'awaiting-payment->repairing': 'rma.move.paid',
  'awaiting-payment->returned-unrepaired': 'rma.move.withdrew',
  'repairing->repaired': 'rma.move.repaired',
  'repaired->tested': 'rma.move.tested',
  'repaired->repairing': 'rma.move.testFailed',
  'tested->shipped-back': 'rma.move.shipBack',
  'returned-unrepaired->shipped-back': 'rma.move.shipBackUnrepaired',
  'shipped-back->closed': 'rma.move.close',
};

/** @param {string} text */
const sentence = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A move in the page's words: "The customer accepted the cost" / "客户接受维修费用"; a move the
 * page does not know yet in the server's words.
 * @param {TicketView} view
 * @param {Move} move
 */
function moveWords(view, move) {
  const key = MOVE_WORDS[`${view.ticket.state}->${move.to}`];
  return key ? t(key) : sentence(move.summary);
}

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
      // A Chinese keyboard types the full-width comma.
      const cells = line.split(/[,，]/).map((c) => c.trim());
      const qty = Number(cells.pop());
      const yuan = Number(cells.pop());
      const name = cells.join(', ');
      if (!name || !Number.isFinite(yuan) || yuan < 0 || !Number.isInteger(qty) || qty < 1) {
        throw new Error(t('rma.form.partLine', { line: i + 1 }));
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
  const reason = { name: 'reason', label: t('rma.moves.reason'), required: true, value: moveWords(view, move), maxLength: 2000 };
  /** @param {FormValues} v @param {Record<string, unknown>} [payload] */
  const transition = (v, payload) =>
    api(`/tickets/${view.id}/transitions`, { method: 'POST', body: { to: move.to, reason: text(v, 'reason'), ...(payload ? { payload } : {}) } });

  switch (`${from}->${move.to}`) {
    case 'registered->warranty-confirmed': {
      const w = view.warranty;
      const confirmed = view.exclusions.filter((f) => f.status === 'confirmed').map((f) => f.exclusion);
      // The exclusions' titles are the server's (in the request's language where it has them).
      const titles = confirmed.map((id) => view.actions.exclusions.clauses.find((c) => c.id === id)?.title ?? id);
      return {
        intro: [
          h(
            'p',
            {},
            w?.inWarranty === true
              ? t('rma.form.inWarranty', { end: formatCalendarDate(w.end) })
              : w?.inWarranty === false
                ? t('rma.form.outOfWarranty', { end: formatCalendarDate(w.end) })
                : t('rma.form.warrantyUnknown'),
          ),
          h(
            'p',
            {},
            confirmed.length === 0
              ? t('rma.form.inScope')
              : tNodes('rma.form.outOfScope', { exclusions: serverWords(titles.join(t('rma.listSeparator'))) }),
          ),
          h('p', { class: 'muted' }, t('rma.form.customerTold')),
        ],
        fields: [
          reason,
          { name: 'customised', label: t('rma.form.customised'), type: 'checkbox' },
          { name: 'repairCycleDays', label: t('rma.form.repairCycleDays'), type: 'number', min: 1, max: 365 },
        ],
        send: (v) => transition(v, v.customised === true ? { customised: true, repairCycleDays: v.repairCycleDays } : {}),
      };
    }
    case 'registered->cancelled':
    case 'warranty-confirmed->cancelled':
    case 'awaiting-product->cancelled':
      return {
        fields: [{ name: 'resolution', label: t('rma.form.resolution'), type: 'select', options: cancelResolutions(), required: true }, reason],
        send: (v) => transition(v, { resolution: v.resolution }),
      };
    case 'awaiting-product->in-transit':
      return {
        fields: [
          { name: 'carrier', label: t('rma.field.carrier'), required: true, maxLength: 100 },
          { name: 'trackingNumber', label: t('rma.field.trackingNumber'), required: true, maxLength: 100 },
          { name: 'insured', label: t('rma.form.insured'), type: 'checkbox' },
          reason,
        ],
        send: (v) => transition(v, { carrier: v.carrier, trackingNumber: v.trackingNumber, insured: v.insured }),
      };
    case 'received->diagnosed':
      return {
        intro: t('rma.form.chargesIntro'),
        fields: [
          { name: 'testResults', label: t('rma.form.testResults'), type: 'textarea', required: true },
          { name: 'parts', label: t('rma.form.parts'), type: 'textarea', hint: t('rma.form.partsHint') },
          { name: 'damageDegree', label: t('rma.form.damage'), type: 'select', options: damage() },
          freightField(),
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
        intro: t('rma.form.costIntro'),
        fields: [freightField(), reason],
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
            label: t('rma.form.amount'),
            type: 'money',
            required: true,
            value: total === undefined ? undefined : (total / 100).toFixed(2),
          },
          { name: 'reference', label: t('rma.form.reference'), required: true, maxLength: 200 },
          reason,
        ],
        send: (v) => transition(v, { payment: { amountFen: v.amount, reference: v.reference } }),
      };
    }
    case 'repaired->tested':
    case 'repaired->repairing':
      return {
        fields: [{ name: 'testResults', label: t('rma.form.finalTest'), type: 'textarea', required: true }, reason],
        send: (v) => transition(v, { testResults: v.testResults }),
      };
    case 'tested->shipped-back':
    case 'returned-unrepaired->shipped-back':
      return {
        fields: [
          { name: 'carrier', label: t('rma.field.carrier'), required: true, maxLength: 100 },
          { name: 'trackingNumber', label: t('rma.field.trackingNumber'), required: true, maxLength: 100 },
          reason,
        ],
        send: (v) => transition(v, { carrier: v.carrier, trackingNumber: v.trackingNumber }),
      };
    case 'shipped-back->closed':
      return {
        fields: [{ name: 'closure', label: t('rma.form.closure'), type: 'select', options: closures(), required: true }, reason],
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
      moveWords(view, move),
    );
    if (move.blockedBy !== null) {
      // The server would refuse it as the ticket stands: say why instead of letting it fail.
      const why = errorText(new ApiError(409, move.blockedBy, null));
      return h('span', { class: 'rma-move-blocked' }, button, h('small', { class: 'muted' }, t('rma.moves.notYet', { why })));
    }
    button.addEventListener('click', async () => {
      const form = moveForm(view, move);
      const done = await formDialog({
        title: t('rma.moves.dialogTitle', { from: stateWords(view.ticket.state), to: stateWords(move.to) }),
        intro: form.intro,
        fields: form.fields,
        submit: stateWords(move.to),
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
        ? h('p', { class: 'muted' }, t('rma.moves.noneForRole'))
        : h('p', { class: 'muted' }, t('rma.moves.finished')),
    others.length > 0
      ? h(
          'ul',
          { class: 'rma-others muted' },
          others.map((m) => {
            const roles = m.roles.filter((r) => r !== 'admin').map(roleWords);
            return h('li', {}, t('rma.moves.other', { move: moveWords(view, m), roles: roles.join(t('rma.listSeparator')) || roleWords('admin') }));
          }),
        )
      : null,
  );
}
