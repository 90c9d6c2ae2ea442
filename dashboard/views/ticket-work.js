import { api } from '../api.js';
import { badge, data, h, tNodes, when } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, formDialog } from '../ui.js';
import { facts } from './ticket-record.js';
import { backupWarning, serverWords, standbyWords } from './rma-words.js';

/** @typedef {import('../api.js').TicketView} TicketView */
/** @typedef {import('../app.js').Account['role']} Role */
/** @typedef {{ possible: boolean, roles: Role[] }} Availability */
/** @typedef {{ view: TicketView, role: Role, reload: () => Promise<void> }} Ctx */
/** @typedef {import('../i18n.js').MessageKey} MessageKey */

/** Whether the signed-in role may call an action endpoint now. @param {Availability} a @param {Role} role */
const offered = (a, role) => a.possible && a.roles.includes(role);

/**
 * A button that opens a form and reloads the ticket after the call succeeded.
 * @param {Ctx} ctx
 * @param {string} label
 * @param {Omit<Parameters<typeof formDialog>[0], 'onSubmit'> & { call: (v: import('../ui.js').FormValues) => Promise<unknown> }} spec
 * @param {{ tone?: 'secondary' | 'danger', testId?: string }} [options]
 */
function dialogButton(ctx, label, spec, options = {}) {
  const { call, ...dialog } = spec;
  return actionButton(
    label,
    async () => {
      const done = await formDialog({
        ...dialog,
        onSubmit: async (v) => {
          await call(v);
          return true;
        },
      });
      if (done) await ctx.reload();
    },
    { busy: label, ...options },
  );
}

/** @param {TicketView} view @param {string} id */
const titleOf = (view, id) => view.actions.exclusions.clauses.find((c) => c.id === id)?.title ?? id;

/**
 * The exclusion's clause and the commitment's own words for it (the server's text).
 * @param {TicketView} view @param {string} id
 */
function seedWords(view, id) {
  const c = view.actions.exclusions.clauses.find((x) => x.id === id);
  return c ? [serverWords(c.clause), ' ', t('rma.exclusion.commitment'), serverWords(`“${c.seed.join('” … “')}”`)] : undefined;
}

/** @type {Record<string, MessageKey>} */
const EVIDENCE_WORDS = {
  tamper: 'rma.evidence.tamper',
  surge: 'rma.evidence.surge',
  overtemp: 'rma.evidence.overtemp',
  water: 'rma.evidence.water',
  label: 'rma.evidence.label',
  'power-loss': 'rma.evidence.power-loss',
};
/** @param {string} type */
const evidenceWords = (type) => (EVIDENCE_WORDS[type] ? t(EVIDENCE_WORDS[type]) : type);

/**
 * Scope exclusions: suggested from the box's evidence, confirmed or rejected by after-sales,
 * or added by hand, until the Repair Report prices the repair.
 * @param {Ctx} ctx
 */
export function exclusions(ctx) {
  const { view, role } = ctx;
  const may = offered(view.actions.exclusions, role);
  /** @param {string} exclusion @param {'confirmed' | 'rejected' | 'added'} decision @param {string} label */
  const decide = (exclusion, decision, label) =>
    dialogButton(
      ctx,
      label,
      {
        title: t('rma.exclusion.dialogTitle', { action: label, exclusion: titleOf(view, exclusion) }),
        intro: seedWords(view, exclusion),
        fields: [{ name: 'note', label: t('rma.field.why'), type: 'textarea', required: true, maxLength: 4000 }],
        submit: label,
        call: (v) => api(`/tickets/${view.id}/exclusions`, { method: 'POST', body: { exclusion, decision, note: v.note } }),
      },
      { tone: decision === 'rejected' ? 'secondary' : undefined },
    );
  const items = view.exclusions.map((f) =>
    h(
      'li',
      { class: 'rma-exclusion rma-item', 'data-exclusion': f.exclusion },
      h(
        'div',
        { class: 'rma-exclusion-head' },
        h('strong', {}, serverWords(titleOf(view, f.exclusion))),
        badge(t('rma.exclusion.status', { status: f.status }), f.status === 'suggested' ? 'warn' : f.status === 'confirmed' ? 'bad' : ''),
      ),
      f.evidence.length > 0
        ? h(
            'p',
            { class: 'muted rma-exclusion-line' },
            t('rma.exclusion.evidence'),
            f.evidence.map((e) => t('rma.exclusion.evidenceAt', { type: evidenceWords(e.type), at: when(e.ts) })).join(t('rma.report.lineSeparator')),
          )
        : h('p', { class: 'muted rma-exclusion-line' }, t('rma.exclusion.byHand')),
      f.status !== 'suggested'
        ? h(
            'p',
            {},
            tNodes('rma.exclusion.decided', { by: data(f.decision.by), status: f.status, at: when(f.decision.at) }),
            h('span', { class: 'pre', translate: 'no' }, f.decision.note),
          )
        : null,
      f.status === 'suggested' && may
        ? h(
            'div',
            { class: 'rma-buttons' },
            decide(f.exclusion, 'confirmed', t('rma.exclusion.confirm')),
            decide(f.exclusion, 'rejected', t('rma.exclusion.reject')),
          )
        : null,
    ),
  );
  const addable = view.actions.exclusions.clauses.filter((c) => !c.listed);
  const add =
    may && addable.length > 0
      ? dialogButton(
          ctx,
          t('rma.exclusion.addButton'),
          {
            title: t('rma.exclusion.addTitle'),
            intro: t('rma.exclusion.addIntro'),
            fields: [
              {
                name: 'exclusion',
                label: t('rma.exclusion.field'),
                type: 'select',
                required: true,
                options: addable.map((c) => ({ value: c.id, label: `${c.title}: ${c.clause}` })),
              },
              { name: 'note', label: t('rma.field.why'), type: 'textarea', required: true, maxLength: 4000 },
            ],
            submit: t('rma.add'),
            call: (v) => api(`/tickets/${view.id}/exclusions`, { method: 'POST', body: { exclusion: v.exclusion, decision: 'added', note: v.note } }),
          },
          { tone: 'secondary' },
        )
      : null;
  return h(
    'div',
    {},
    items.length > 0 ? h('ul', { class: 'rma-exclusions' }, items) : h('p', { class: 'empty' }, t('rma.exclusion.none')),
    add,
    view.actions.exclusions.possible ? null : h('p', { class: 'muted' }, t('rma.exclusion.settled')),
  );
}

/**
 * The standby unit, lent when the repair overruns its cycle: required, dispatched, returned.
 * @param {Ctx} ctx
 */
export function standby(ctx) {
  const { view, role } = ctx;
  const s = view.ticket.standby;
  const a = view.actions.standby;
  /** @param {Record<string, unknown>} body */
  const call = (body) => api(`/tickets/${view.id}/standby`, { method: 'POST', body });
  return h(
    'div',
    { id: 'ticket-standby' },
    facts([
      [t('rma.standby.state'), standbyWords(s.state)],
      [t('rma.field.why'), s.reason ? data(s.reason) : null],
      [
        t('rma.standby.unit'),
        s.unitSerial
          ? tNodes('rma.standby.unitLine', {
              serial: data(s.unitSerial),
              carrier: data(s.carrier ?? ''),
              tracking: data(s.trackingNumber ?? ''),
              at: when(s.dispatchedAt),
            })
          : null,
      ],
      [t('rma.standby.returnedAt'), s.returnedAt ? when(s.returnedAt) : null],
    ]),
    h(
      'div',
      { class: 'rma-buttons' },
      offered(a.require, role)
        ? dialogButton(ctx, t('rma.standby.require'), {
            title: t('rma.standby.require'),
            fields: [{ name: 'reason', label: t('rma.field.why'), type: 'textarea', required: true, maxLength: 1000 }],
            submit: t('rma.standby.requireSubmit'),
            call: (v) => call({ kind: 'require', reason: v.reason }),
          })
        : null,
      offered(a.dispatch, role)
        ? dialogButton(ctx, t('rma.standby.dispatch'), {
            title: t('rma.standby.dispatch'),
            fields: [
              { name: 'unitSerial', label: t('rma.standby.unitSerial'), required: true, maxLength: 32 },
              { name: 'carrier', label: t('rma.field.carrier'), required: true, maxLength: 100 },
              { name: 'trackingNumber', label: t('rma.field.trackingNumber'), required: true, maxLength: 100 },
            ],
            submit: t('rma.standby.dispatchSubmit'),
            call: (v) =>
              call({ kind: 'dispatch', unitSerial: String(v.unitSerial).toUpperCase(), carrier: v.carrier, trackingNumber: v.trackingNumber }),
          })
        : null,
      offered(a.return, role)
        ? dialogButton(ctx, t('rma.standby.return'), {
            title: t('rma.standby.returnTitle'),
            fields: [],
            submit: t('rma.standby.returnSubmit'),
            call: () => call({ kind: 'return' }),
          })
        : null,
    ),
  );
}

/**
 * Parameters: the newest snapshot, the pre-repair backup, and the restore or its waiver that
 * must come before the box ships back. `slot` (`data-slot="backups"`) holds the backups panel;
 * it is the same element on every reload, so what is mounted in it stays.
 * @param {Ctx} ctx
 * @param {HTMLElement} slot
 */
export function parameters(ctx, slot) {
  const { view, role } = ctx;
  const b = view.parameterBackup;
  const r = view.ticket.parameterRestore;
  const may = offered(view.actions.parameterRestore, role);
  const restoreCall = (/** @type {Record<string, unknown>} */ body) => api(`/tickets/${view.id}/parameter-restore`, { method: 'POST', body });
  return h(
    'div',
    { id: 'ticket-parameters' },
    b.warning ? h('p', {}, badge(backupWarning(b) ?? '', 'warn')) : null,
    facts([
      [
        t('rma.params.newest'),
        b.latest ? tNodes('rma.params.newestLine', { reason: data(b.latest.reason), id: String(b.latest.id), at: when(b.latest.createdAt) }) : null,
      ],
      [t('rma.params.preRepair'), view.backup?.snapshotId ? `#${view.backup.snapshotId}` : view.backup ? t('rma.params.asked') : null],
      [
        t('rma.params.restore'),
        r
          ? [
              ...tNodes('rma.params.restoreLine', { by: data(r.by), outcome: r.outcome, at: when(r.at) }),
              ...(r.reason ? tNodes('rma.why', { reason: data(r.reason) }) : []),
              r.mismatches ? t('rma.params.mismatches', { count: r.mismatches }) : '',
            ]
          : null,
      ],
    ]),
    may
      ? h(
          'div',
          { class: 'rma-buttons' },
          dialogButton(ctx, t('rma.params.restoreButton'), {
            title: t('rma.params.restoreTitle'),
            intro: t('rma.params.restoreIntro'),
            fields: [
              { name: 'backupId', label: t('rma.params.snapshot'), type: 'number', min: 1 },
              { name: 'force', label: t('rma.params.force'), type: 'checkbox' },
            ],
            submit: t('rma.params.restoreSubmit'),
            call: (v) => restoreCall({ action: 'restore', ...(v.backupId ? { backupId: v.backupId } : {}), ...(v.force ? { force: true } : {}) }),
          }),
          dialogButton(
            ctx,
            t('rma.params.waiveButton'),
            {
              title: t('rma.params.waiveTitle'),
              fields: [{ name: 'reason', label: t('rma.params.waiveWhy'), type: 'textarea', required: true, maxLength: 2000 }],
              submit: t('rma.params.waiveSubmit'),
              call: (v) => restoreCall({ action: 'waive', reason: v.reason }),
            },
            { tone: 'secondary' },
          ),
        )
      : null,
    slot,
  );
}

/**
 * Notes anyone working the ticket adds, oldest first.
 * @param {Ctx} ctx
 * @param {boolean} mayWrite
 */
export function notes(ctx, mayWrite) {
  const { view } = ctx;
  return h(
    'div',
    {},
    view.notes.length > 0
      ? h(
          'ul',
          { class: 'rma-notes', id: 'ticket-notes' },
          view.notes.map((n) =>
            h(
              'li',
              { class: 'rma-item' },
              h('div', { class: 'muted' }, tNodes('rma.byAt', { by: data(n.by), at: when(n.at) })),
              h('div', { class: 'pre', translate: 'no' }, n.text),
            ),
          ),
        )
      : h('p', { class: 'empty' }, t('rma.notes.none')),
    mayWrite
      ? dialogButton(
          ctx,
          t('rma.notes.add'),
          {
            title: t('rma.notes.add'),
            fields: [{ name: 'text', label: t('rma.notes.field'), type: 'textarea', required: true, maxLength: 4000 }],
            submit: t('rma.add'),
            call: (v) => api(`/tickets/${view.id}/notes`, { method: 'POST', body: { text: v.text } }),
          },
          { tone: 'secondary' },
        )
      : null,
  );
}
