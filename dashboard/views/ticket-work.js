import { api } from '../api.js';
import { badge, h, when } from '../dom.js';
import { actionButton, formDialog } from '../ui.js';
import { facts } from './ticket-record.js';
import { words } from './rma-words.js';

/** @typedef {import('../api.js').TicketView} TicketView */
/** @typedef {import('../app.js').Account['role']} Role */
/** @typedef {{ possible: boolean, roles: Role[] }} Availability */
/** @typedef {{ view: TicketView, role: Role, reload: () => Promise<void> }} Ctx */

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
const titleOf = (view, id) => view.actions.exclusions.clauses.find((c) => c.id === id)?.title ?? words(id);

/**
 * The exclusion's clause and the commitment's own words for it.
 * @param {TicketView} view @param {string} id
 */
function seedWords(view, id) {
  const c = view.actions.exclusions.clauses.find((x) => x.id === id);
  return c ? `${c.clause} The commitment: “${c.seed.join('” … “')}”` : undefined;
}

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
        title: `${label}: ${titleOf(view, exclusion)}`,
        intro: seedWords(view, exclusion),
        fields: [{ name: 'note', label: 'Why', type: 'textarea', required: true, maxLength: 4000 }],
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
        h('strong', {}, titleOf(view, f.exclusion)),
        badge(f.status, f.status === 'suggested' ? 'warn' : f.status === 'confirmed' ? 'bad' : ''),
      ),
      f.evidence.length > 0
        ? h('p', { class: 'muted rma-exclusion-line' }, 'Evidence from the box: ', f.evidence.map((e) => `${e.type} at ${when(e.ts)}`).join('; '))
        : h('p', { class: 'muted rma-exclusion-line' }, 'Added by hand (no evidence from the box).'),
      f.status !== 'suggested'
        ? h('p', {}, `${words(f.status)} by ${f.decision.by}, ${when(f.decision.at)}: `, h('span', { class: 'pre' }, f.decision.note))
        : null,
      f.status === 'suggested' && may
        ? h('div', { class: 'rma-buttons' }, decide(f.exclusion, 'confirmed', 'Confirm'), decide(f.exclusion, 'rejected', 'Reject'))
        : null,
    ),
  );
  const addable = view.actions.exclusions.clauses.filter((c) => !c.listed);
  const add =
    may && addable.length > 0
      ? dialogButton(
          ctx,
          'Add an exclusion',
          {
            title: 'Add a scope exclusion',
            intro: 'For what the box cannot report, such as damage in return transport. Chosen from the exclusions the after-sales commitment lists.',
            fields: [
              {
                name: 'exclusion',
                label: 'Exclusion',
                type: 'select',
                required: true,
                options: addable.map((c) => ({ value: c.id, label: `${c.title}: ${c.clause}` })),
              },
              { name: 'note', label: 'Why', type: 'textarea', required: true, maxLength: 4000 },
            ],
            submit: 'Add',
            call: (v) => api(`/tickets/${view.id}/exclusions`, { method: 'POST', body: { exclusion: v.exclusion, decision: 'added', note: v.note } }),
          },
          { tone: 'secondary' },
        )
      : null;
  return h(
    'div',
    {},
    items.length > 0
      ? h('ul', { class: 'rma-exclusions' }, items)
      : h('p', { class: 'empty' }, 'No exclusions: the box reported no evidence against its warranty.'),
    add,
    view.actions.exclusions.possible ? null : h('p', { class: 'muted' }, 'Scope is settled: the Repair Report has priced the repair.'),
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
      ['State', words(s.state)],
      ['Why', s.reason ?? null],
      ['Unit', s.unitSerial ? `${s.unitSerial} by ${s.carrier} ${s.trackingNumber} (${when(s.dispatchedAt)})` : null],
      ['Returned', s.returnedAt ? when(s.returnedAt) : null],
    ]),
    h(
      'div',
      { class: 'rma-buttons' },
      offered(a.require, role)
        ? dialogButton(ctx, 'Require a standby unit', {
            title: 'Require a standby unit',
            fields: [{ name: 'reason', label: 'Why', type: 'textarea', required: true, maxLength: 1000 }],
            submit: 'Require',
            call: (v) => call({ kind: 'require', reason: v.reason }),
          })
        : null,
      offered(a.dispatch, role)
        ? dialogButton(ctx, 'Dispatch the standby unit', {
            title: 'Dispatch the standby unit',
            fields: [
              { name: 'unitSerial', label: 'Unit serial', required: true, maxLength: 32 },
              { name: 'carrier', label: 'Carrier', required: true, maxLength: 100 },
              { name: 'trackingNumber', label: 'Tracking number', required: true, maxLength: 100 },
            ],
            submit: 'Dispatch',
            call: (v) =>
              call({ kind: 'dispatch', unitSerial: String(v.unitSerial).toUpperCase(), carrier: v.carrier, trackingNumber: v.trackingNumber }),
          })
        : null,
      offered(a.return, role)
        ? dialogButton(ctx, 'Standby unit returned', {
            title: 'The standby unit came back',
            fields: [],
            submit: 'Record the return',
            call: () => call({ kind: 'return' }),
          })
        : null,
    ),
  );
}

const OUTCOME_WORDS = { verified: 'restored and verified', failed: 'restore failed', waived: 'restore waived' };

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
    b.warning ? h('p', {}, badge(b.warning, 'warn')) : null,
    facts([
      ['Newest snapshot', b.latest ? `#${b.latest.id}, ${when(b.latest.createdAt)} (${b.latest.reason})` : null],
      ['Pre-repair backup', view.backup?.snapshotId ? `#${view.backup.snapshotId}` : view.backup ? 'asked for; the box has not answered' : null],
      [
        'Restore',
        r
          ? `${OUTCOME_WORDS[r.outcome]} by ${r.by}, ${when(r.at)}${r.reason ? `: ${r.reason}` : ''}${r.mismatches ? ` (${r.mismatches} differ)` : ''}`
          : null,
      ],
    ]),
    may
      ? h(
          'div',
          { class: 'rma-buttons' },
          dialogButton(ctx, 'Restore parameters', {
            title: 'Restore the pre-repair parameters',
            intro: 'The snapshot is written to the box and read back; the result is recorded on the ticket.',
            fields: [
              { name: 'backupId', label: 'Snapshot number (default: the pre-repair backup)', type: 'number', min: 1 },
              { name: 'force', label: 'Restore across models or incompatible firmware', type: 'checkbox' },
            ],
            submit: 'Restore',
            call: (v) => restoreCall({ action: 'restore', ...(v.backupId ? { backupId: v.backupId } : {}), ...(v.force ? { force: true } : {}) }),
          }),
          dialogButton(
            ctx,
            'Waive the restore',
            {
              title: 'Waive the parameter restore',
              fields: [{ name: 'reason', label: 'Why (e.g. the customer reconfigures on site)', type: 'textarea', required: true, maxLength: 2000 }],
              submit: 'Waive',
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
            h('li', { class: 'rma-item' }, h('div', { class: 'muted' }, `${n.by}, ${when(n.at)}`), h('div', { class: 'pre' }, n.text)),
          ),
        )
      : h('p', { class: 'empty' }, 'No notes yet.'),
    mayWrite
      ? dialogButton(
          ctx,
          'Add a note',
          {
            title: 'Add a note',
            fields: [{ name: 'text', label: 'Note', type: 'textarea', required: true, maxLength: 4000 }],
            submit: 'Add',
            call: (v) => api(`/tickets/${view.id}/notes`, { method: 'POST', body: { text: v.text } }),
          },
          { tone: 'secondary' },
        )
      : null,
  );
}
