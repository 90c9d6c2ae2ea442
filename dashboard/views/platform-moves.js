import { api } from '../api.js';
import { h } from '../dom.js';
import { t, toDateTimeInput } from '../i18n.js';
import { actionButton, formDialog } from '../ui.js';
import { EXCLUSION_WORDS, SERVICE_WORDS, serviceText } from './platform-words.js';

/*
 * The moves of a platform ticket as buttons: only the moves the server lists for the current
 * state whose roles include the signed-in one, each a dialog with the fields its payload needs
 * (the platform transition table) and the reason the audit trail keeps.
 */

/** @typedef {import('../api.js').PlatformTicketView} PlatformTicketView */
/** @typedef {import('../ui.js').Field} Field */
/** @typedef {import('../ui.js').FormValues} FormValues */
/** @typedef {import('../../services/after-sales/platform-tickets/domain/platform-transition-table.ts').PlatformEdgeKey} PlatformEdgeKey */
/** @typedef {import('../i18n.js').MessageKey} MessageKey */
/** @typedef {import('../../services/after-sales/platform-tickets/domain/platform-ticket.ts').MaintenanceService} MaintenanceService */
/**
 * A move's dialog: its words as message keys, its fields built when the dialog opens (in the
 * page's language, the agreed time counted from now).
 * @typedef {{ label: MessageKey, title: MessageKey, intro: MessageKey, summary: MessageKey, fields: () => Field[], danger?: boolean,
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
  if (v.endedOn === undefined) throw new Error(t('cases.pmove.giveEndDate'));
  return { kind: MAINTENANCE_ENDED, endedOn: v.endedOn };
}

/** @returns {Field} */
const agreedBy = () => ({
  name: 'agreedBy',
  label: t('cases.pmove.agreedBy'),
  type: 'datetime',
  required: true,
  value: toDateTimeInput(Date.now() + 24 * HOUR_MS),
});

/** Every edge of the platform transition table, as a dialog. @type {Record<PlatformEdgeKey, MoveForm>} */
const FORMS = {
  'submitted->confirmed': {
    label: 'cases.pmove.confirm.label',
    title: 'cases.pmove.confirm.title',
    intro: 'cases.pmove.confirm.intro',
    summary: 'cases.pmove.summary.confirm',
    fields: () => [
      {
        name: 'maintenancePeriodEndsOn',
        label: t('cases.pmove.confirm.periodEnds'),
        type: 'date',
        hint: t('cases.pmove.confirm.periodHint'),
      },
      {
        name: 'service',
        label: t('cases.pmove.confirm.service'),
        type: 'select',
        options: [
          { value: '', label: t('cases.pmove.confirm.notNamed') },
          ...Object.keys(SERVICE_WORDS).map((value) => ({ value, label: serviceText(/** @type {MaintenanceService} */ (value)) })),
        ],
      },
      { name: 'note', label: t('cases.pmove.confirm.note'), type: 'textarea', maxLength: 4000 },
    ],
    payload: (v) => pick(v, ['maintenancePeriodEndsOn', 'service', 'note']),
  },
  'submitted->out-of-scope': {
    label: 'cases.pmove.out.label',
    title: 'cases.pmove.out.title',
    intro: 'cases.pmove.out.intro',
    summary: 'cases.pmove.summary.outOfScope',
    danger: true,
    fields: () => [
      {
        name: 'basis',
        label: t('cases.pmove.out.basis'),
        type: 'select',
        required: true,
        options: [
          ...Object.entries(EXCLUSION_WORDS).map(([value, key]) => ({ value, label: t(key) })),
          { value: MAINTENANCE_ENDED, label: t('cases.exclusion.maintenanceEnded') },
        ],
      },
      { name: 'endedOn', label: t('cases.pmove.out.endedOn'), type: 'date', hint: t('cases.pmove.out.endedHint') },
      { name: 'solutionOffered', label: t('cases.pmove.out.solution'), type: 'textarea', maxLength: 4000 },
    ],
    payload: (v) => ({ basis: basis(v), ...pick(v, ['solutionOffered']) }),
  },
  'confirmed->repairing': {
    label: 'cases.pmove.repair.label',
    title: 'cases.pmove.repair.title',
    intro: 'cases.pmove.repair.intro',
    summary: 'cases.pmove.summary.repair',
    fields: () => [{ name: 'solution', label: t('cases.pmove.repair.solution'), type: 'textarea', required: true, maxLength: 4000 }, agreedBy()],
    payload: (v) => pick(v, ['solution', 'agreedBy']),
  },
  'repairing->resolved': {
    label: 'cases.pmove.resolve.label',
    title: 'cases.pmove.resolve.title',
    intro: 'cases.pmove.resolve.intro',
    summary: 'cases.pmove.summary.resolve',
    fields: () => [{ name: 'summary', label: t('cases.pmove.resolve.summary'), type: 'textarea', required: true, maxLength: 4000 }],
    payload: (v) => pick(v, ['summary']),
  },
  'resolved->repairing': {
    label: 'cases.pmove.reopen.label',
    title: 'cases.pmove.reopen.title',
    intro: 'cases.pmove.reopen.intro',
    summary: 'cases.pmove.summary.reopen',
    danger: true,
    fields: () => [
      { name: 'customerReport', label: t('cases.pmove.reopen.report'), type: 'textarea', required: true, maxLength: 4000 },
      agreedBy(),
      { name: 'solution', label: t('cases.pmove.reopen.solution'), type: 'textarea', maxLength: 4000 },
    ],
    payload: (v) => pick(v, ['customerReport', 'agreedBy', 'solution']),
  },
  'resolved->closed': {
    label: 'cases.pmove.close.label',
    title: 'cases.pmove.close.resolvedTitle',
    intro: 'cases.pmove.close.intro',
    summary: 'cases.pmove.summary.closeResolved',
    fields: () => [],
    payload: () => ({}),
  },
  'out-of-scope->closed': {
    label: 'cases.pmove.close.label',
    title: 'cases.pmove.close.outTitle',
    intro: 'cases.pmove.close.intro',
    summary: 'cases.pmove.summary.closeOutOfScope',
    fields: () => [],
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
  /** The dialog of a move from the ticket's state. @param {{ to: string }} move */
  const formOf = (move) => FORMS[/** @type {PlatformEdgeKey} */ (`${view.ticket.state}->${move.to}`)];
  // A move's summary in the page's words; the server's own summary for an edge the page does not know.
  /** @param {{ to: string, summary: string }} move */
  const summaryOf = (move) => {
    const form = formOf(move);
    return form ? t(form.summary) : move.summary;
  };
  if (view.moves.length === 0) return h('span', { class: 'muted' }, t('cases.move.none'));
  if (mine.length === 0)
    return h('span', { class: 'muted' }, t('cases.pmove.next', { moves: view.moves.map(summaryOf).join(t('cases.pmove.nextSeparator')) }));
  return h(
    'span',
    { class: 'moves' },
    mine.map((move) => {
      const form = formOf(move);
      return actionButton(
        t(form.label),
        async () => {
          const answer = await formDialog({
            title: t(form.title),
            intro: [h('p', {}, t(form.intro)), h('p', { class: 'muted' }, t('cases.pmove.when', { summary: summaryOf(move) }))],
            // Built now: the default agreed time is counted from now, not from when the page loaded.
            fields: [...form.fields(), { name: 'reason', label: t('cases.move.reason'), type: 'textarea', required: true, maxLength: 2000 }],
            submit: t(form.label),
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
