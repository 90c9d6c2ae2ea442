import { api } from '../api.js';
import { h } from '../dom.js';
import { actionButton, formDialog } from '../ui.js';
import { EXCLUSION_WORDS, SERVICE_WORDS, localInput } from './platform-words.js';

/*
 * The moves of a platform ticket as buttons: only the moves the server lists for the current
 * state whose roles include the signed-in one, each a dialog with the fields its payload needs
 * (the platform transition table) and the reason the audit trail keeps.
 */

/** @typedef {import('../api.js').PlatformTicketView} PlatformTicketView */
/** @typedef {import('../ui.js').Field} Field */
/** @typedef {import('../ui.js').FormValues} FormValues */
/** @typedef {import('../../services/after-sales/platform-tickets/domain/platform-transition-table.ts').PlatformEdgeKey} PlatformEdgeKey */
/**
 * @typedef {{ label: string, title: string, intro: string, fields: Field[], danger?: boolean,
 *   payload: (values: FormValues) => Record<string, unknown> }} MoveForm
 */

const HOUR_MS = 3_600_000;

/** The values that were filled in, leaving out the empty optional ones. @param {FormValues} v @param {string[]} names */
function pick(v, names) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const name of names) if (v[name] !== undefined) out[name] = v[name];
  return out;
}

const MAINTENANCE_ENDED = 'maintenance-period-ended';

/** The scope basis the out-of-scope dialog asked for. @param {FormValues} v */
function basis(v) {
  if (v.basis !== MAINTENANCE_ENDED) return { kind: 'exclusion', exclusion: v.basis };
  if (v.endedOn === undefined) throw new Error('Give the date the maintenance period ended.');
  return { kind: MAINTENANCE_ENDED, endedOn: v.endedOn };
}

/** @returns {Field} */
const agreedBy = () => ({
  name: 'agreedBy',
  label: 'Repair agreed by (date and time)',
  type: 'datetime',
  required: true,
  value: localInput(Date.now() + 24 * HOUR_MS),
});

/** Every edge of the platform transition table, as a dialog. @type {Record<PlatformEdgeKey, MoveForm>} */
const FORMS = {
  'submitted->confirmed': {
    label: 'Confirm scope',
    title: 'Confirm: within the maintenance period and scope',
    intro: 'The customer is told the report is covered.',
    fields: [
      {
        name: 'maintenancePeriodEndsOn',
        label: 'Maintenance period ends on',
        type: 'date',
        hint: 'A problem that occurred after this day is refused: take it out of scope instead.',
      },
      {
        name: 'service',
        label: 'Platform service it falls under',
        type: 'select',
        options: [{ value: '', label: 'Not named' }, ...Object.entries(SERVICE_WORDS).map(([value, label]) => ({ value, label }))],
      },
      { name: 'note', label: 'Note', type: 'textarea', maxLength: 4000 },
    ],
    payload: (v) => pick(v, ['maintenancePeriodEndsOn', 'service', 'note']),
  },
  'submitted->out-of-scope': {
    label: 'Out of scope',
    title: 'Not within the maintenance scope',
    intro: 'The customer is told why, with any solution offered.',
    danger: true,
    fields: [
      {
        name: 'basis',
        label: 'Why it is not covered',
        type: 'select',
        required: true,
        options: [
          ...Object.entries(EXCLUSION_WORDS).map(([value, label]) => ({ value, label })),
          { value: MAINTENANCE_ENDED, label: 'The maintenance period has ended' },
        ],
      },
      { name: 'endedOn', label: 'Maintenance period ended on', type: 'date', hint: 'Needed when the period has ended.' },
      { name: 'solutionOffered', label: 'Solution offered anyway', type: 'textarea', maxLength: 4000 },
    ],
    payload: (v) => ({ basis: basis(v), ...pick(v, ['solutionOffered']) }),
  },
  'confirmed->repairing': {
    label: 'Agree repair',
    title: 'Agree the repair with the customer',
    intro: 'Problem and solution are confirmed with the customer; the repair must be done by the agreed time.',
    fields: [{ name: 'solution', label: 'Solution', type: 'textarea', required: true, maxLength: 4000 }, agreedBy()],
    payload: (v) => pick(v, ['solution', 'agreedBy']),
  },
  'repairing->resolved': {
    label: 'Mark resolved',
    title: 'Repair completed',
    intro: 'The customer is asked to confirm the repair.',
    fields: [{ name: 'summary', label: 'What was done', type: 'textarea', required: true, maxLength: 4000 }],
    payload: (v) => pick(v, ['summary']),
  },
  'resolved->repairing': {
    label: 'Reopen: not fixed',
    title: 'The customer reports it is not fixed',
    intro: 'A new repair time is agreed.',
    danger: true,
    fields: [
      { name: 'customerReport', label: 'What the customer reports', type: 'textarea', required: true, maxLength: 4000 },
      agreedBy(),
      { name: 'solution', label: 'New solution', type: 'textarea', maxLength: 4000 },
    ],
    payload: (v) => pick(v, ['customerReport', 'agreedBy', 'solution']),
  },
  'resolved->closed': {
    label: 'Close',
    title: 'Close: the customer confirmed the repair',
    intro: 'The ticket ends.',
    fields: [],
    payload: () => ({}),
  },
  'out-of-scope->closed': {
    label: 'Close',
    title: 'Close: the customer was told why it is not covered',
    intro: 'The ticket ends.',
    fields: [],
    payload: () => ({}),
  },
};

/**
 * The buttons for the moves the signed-in role may make now; `moved` gets the ticket after a
 * move. A role that may make none sees that in words.
 * @param {PlatformTicketView} view
 * @param {import('../api.js').SignedInUser['role']} role
 * @param {(view: PlatformTicketView) => void} moved
 */
export function platformMoveButtons(view, role, moved) {
  const mine = view.moves.filter((m) => m.roles.includes(role));
  if (view.moves.length === 0) return h('span', { class: 'muted' }, 'No further moves.');
  if (mine.length === 0) return h('span', { class: 'muted' }, `Next: ${view.moves.map((m) => m.summary).join('; ')} (not for your role).`);
  return h(
    'span',
    { class: 'moves' },
    mine.map((move) => {
      const key = /** @type {PlatformEdgeKey} */ (`${view.ticket.state}->${move.to}`);
      const form = FORMS[key];
      return actionButton(
        form.label,
        async () => {
          const answer = await formDialog({
            title: form.title,
            intro: [h('p', {}, form.intro), h('p', { class: 'muted' }, `When: ${move.summary}.`)],
            // The default agreed time is counted from now, not from when the page loaded.
            fields: [
              ...form.fields.map((f) => (f.name === 'agreedBy' ? agreedBy() : f)),
              { name: 'reason', label: 'Reason (kept in the audit trail)', type: 'textarea', required: true, maxLength: 2000 },
            ],
            submit: form.label,
            danger: form.danger === true,
            async onSubmit(values) {
              const payload = form.payload(values);
              const body = { to: move.to, reason: values.reason, ...(Object.keys(payload).length > 0 ? { payload } : {}) };
              return /** @type {PlatformTicketView} */ (await api(`/platform-tickets/${view.id}/transitions`, { method: 'POST', body }));
            },
          });
          if (answer !== null) moved(answer);
        },
        { tone: form.danger ? 'danger' : undefined, testId: `move-${move.to}` },
      );
    }),
  );
}
