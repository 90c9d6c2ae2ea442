import { api, ApiError } from '../api.js';
import { badge, h } from '../dom.js';
import { errorText } from '../error-words.js';
import { confirmDialog, formDialog } from '../ui.js';
import { diffView, paramText } from './params-diff.js';
import { progressLine, withProgress } from './params-progress.js';

/** @typedef {import('../api.js').SnapshotSummary} SnapshotSummary */
/** @typedef {import('../api.js').SnapshotDetail} SnapshotDetail */
/** @typedef {import('../api.js').RestoreCheckView} RestoreCheckView */
/** @typedef {import('../api.js').RestoreReport} RestoreReport */
/** @typedef {'backup' | 'write' | 'read' | 'verify'} Phase */

/** The steps the backend runs, in order, for one restore (docs/params.md, "Restore"). */
const PHASES = /** @type {const} */ ([
  ['backup', 'Backing up the current values'],
  ['write', 'Writing the changed parameters'],
  ['read', 'Reading the parameters back'],
  ['verify', 'Verifying, parameter by parameter'],
]);

/** @type {(n: number, one: string, many?: string) => string} */
const count = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** @param {{ model: string, firmware: string | null }} build */
const buildText = (build) => `${build.model}, firmware ${build.firmware ?? 'unknown'}`;

/** The verdict on model and firmware, with both builds and every reason in words. @param {RestoreCheckView} check */
function compatibilityView(check) {
  const { allowed, reasons, notes } = check.compatibility;
  return h(
    'div',
    { class: 'restore-compat' },
    h('h4', {}, 'Compatibility ', allowed ? badge('compatible', 'ok') : badge('not compatible', 'bad')),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Backup'),
      h('dd', {}, `${buildText(check.snapshot)} (taken of ${check.snapshot.serial})`),
      h('dt', {}, 'This box now'),
      h('dd', {}, `${buildText(check.box)} (${check.serial})`),
    ),
    reasons.length > 0
      ? h(
          'ul',
          { class: 'reasons' },
          reasons.map((r) => h('li', {}, r)),
        )
      : null,
    notes.map((n) => h('p', { class: 'muted' }, n)),
  );
}

/** What the restore would write, group by group, from the box's values to the backup's. @param {RestoreCheckView} check */
function changesView(check) {
  const writes = Object.keys(check.changed).length;
  return h(
    'div',
    { class: 'restore-changes' },
    h('h4', {}, 'What the restore changes'),
    writes === 0 && Object.keys(check.added).length === 0
      ? h('p', { class: 'diff-none' }, 'The box already holds every value of this backup: nothing will be written.')
      : diffView(check, {
          from: 'On the box now',
          to: 'After the restore',
          added: 'not on this box: not sent',
          removed: 'only on the box: left alone',
          same: '',
        }),
    h(
      'p',
      { class: 'muted' },
      `${count(check.unchanged, 'other parameter')} already ${check.unchanged === 1 ? 'holds' : 'hold'} the backup's value.`,
    ),
  );
}

/** @param {string[]} names */
function nameList(names) {
  const shown = names.slice(0, 12).join(', ');
  return names.length > 12 ? `${shown} and ${names.length - 12} more` : shown;
}

/**
 * Asks before writing: what will be written, that it can be undone, and for an incompatible
 * backup an explicit "restore anyway". Answers `{ force }` or null when the person cancelled.
 * @param {RestoreCheckView} check
 * @returns {Promise<{ force: boolean } | null>}
 */
async function askToRestore(check) {
  const names = Object.keys(check.changed);
  const body = [
    h(
      'p',
      {},
      names.length === 0
        ? `Nothing differs on ${check.serial}: the restore only reads it back and verifies.`
        : `${count(names.length, 'parameter')} will be written on ${check.serial}: ${nameList(names)}.`,
    ),
    h('p', {}, 'What the box holds now is backed up first, so this restore can be undone.'),
  ];
  const title = `Restore backup #${check.backupId} to ${check.serial}?`;
  if (check.compatibility.allowed) return (await confirmDialog({ title, body, confirm: 'Restore' })) ? { force: false } : null;
  const answer = await formDialog({
    title,
    intro: [
      h('p', { class: 'error' }, 'This backup does not fit the box:'),
      h(
        'ul',
        { class: 'reasons' },
        check.compatibility.reasons.map((r) => h('li', {}, r)),
      ),
      ...body,
    ],
    fields: [{ name: 'force', label: 'I have checked that these values fit this box; restore anyway', type: 'checkbox', required: true }],
    submit: 'Restore anyway',
    danger: true,
    onSubmit: async () => true,
  });
  return answer ? { force: true } : null;
}

/** The steps of a restore as a list whose items say how each one went, once it is known. */
function phaseList() {
  /** @type {Record<Phase, HTMLElement>} */
  const outcome = /** @type {Record<Phase, HTMLElement>} */ ({});
  /** @type {Record<Phase, HTMLLIElement>} */
  const items = /** @type {Record<Phase, HTMLLIElement>} */ ({});
  const el = h(
    'ol',
    { class: 'restore-phases' },
    PHASES.map(([phase, label]) => {
      outcome[phase] = h('span', { class: 'phase-outcome muted' }, 'waiting');
      items[phase] = h('li', { class: 'phase', 'data-phase': phase }, h('span', { class: 'phase-label' }, label), ' — ', outcome[phase]);
      return items[phase];
    }),
  );
  return {
    el,
    /** @param {Phase} phase @param {'done' | 'failed' | 'skipped'} state @param {string} text */
    set(phase, state, text) {
      items[phase].className = `phase ${state}`;
      outcome[phase].className = 'phase-outcome';
      outcome[phase].textContent = text;
    },
  };
}

/**
 * What each step did, from the restore's report.
 * @param {ReturnType<typeof phaseList>} phases
 * @param {RestoreReport} report
 * @param {number} backupCount parameters the backup holds
 */
function showPhases(phases, report, backupCount) {
  phases.set('backup', 'done', `kept as backup #${report.beforeRestoreSnapshotId}`);
  if (report.write === null) {
    phases.set('write', 'skipped', 'nothing to write: the box already held every value');
    phases.set('read', 'skipped', 'not needed: nothing was written');
  } else {
    const { status, error } = report.write;
    if (status === 'succeeded') phases.set('write', 'done', `the box took the new values (${count(report.applied.length, 'parameter')})`);
    else phases.set('write', 'failed', error ? `the box answered: ${error.message}` : `the write ${status}`);
    phases.set('read', 'done', `${count(backupCount - report.skipped.length, 'parameter')} read back`);
  }
  const bad = Object.keys(report.mismatches).length;
  phases.set(
    'verify',
    bad === 0 ? 'done' : 'failed',
    bad === 0 ? 'every parameter reads back with the backup’s value' : `${count(bad, 'parameter')} do not`,
  );
}

/**
 * The verification parameter by parameter: each written or mismatching parameter with what was
 * expected and what the box read back.
 * @param {RestoreReport} report
 * @param {SnapshotDetail} backup
 */
function verificationView(report, backup) {
  const names = [...new Set([...report.applied, ...Object.keys(report.mismatches)])].sort();
  const total = backup.count - report.skipped.length;
  const bad = Object.keys(report.mismatches).length;
  const rows = names.map((name) => {
    const m = report.mismatches[name];
    const expected = m ? m.expected : backup.params[name];
    return h(
      'tr',
      { class: `verify-row ${m ? 'mismatch' : 'verified'}`, 'data-param': name },
      h('td', { class: 'mono' }, name),
      h('td', {}, paramText(expected)),
      h('td', {}, m ? (m.actual === null ? 'not on the box' : paramText(m.actual)) : paramText(expected)),
      h('td', {}, m ? [badge('mismatch', 'bad'), m.reason ? h('div', { class: 'muted' }, m.reason) : null] : badge('verified', 'ok')),
    );
  });
  const others = total - names.length;
  return h(
    'div',
    { class: 'restore-result' },
    h(
      'p',
      { class: 'restore-verdict' },
      report.verified ? badge('verified', 'ok') : badge('not verified', 'bad'),
      ' ',
      report.verified
        ? `All ${count(total, 'parameter')} of backup #${report.backupId} read back with their values.`
        : `${bad} of ${count(total, 'parameter')} of backup #${report.backupId} differ on the box.`,
    ),
    report.compatibility.forced.length > 0 ? h('p', { class: 'muted' }, `Restored although: ${report.compatibility.forced.join('; ')}.`) : null,
    rows.length > 0
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'params-table' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Parameter'), h('th', {}, 'Expected'), h('th', {}, 'Read back'), h('th', {}, 'Result'))),
            h('tbody', {}, rows),
          ),
        )
      : null,
    others > 0 ? h('p', { class: 'muted' }, `The other ${count(others, 'parameter')} already held the backup's value and read back the same.`) : null,
    report.skipped.length > 0 ? h('p', { class: 'muted' }, `Left as they are, not verified: ${nameList(report.skipped)}.`) : null,
  );
}

/**
 * Marks the steps a failed restore reached: a failed before-restore backup wrote nothing; a
 * failed read-back happened after the write.
 * @param {ReturnType<typeof phaseList>} phases
 * @param {unknown} err
 */
function showFailure(phases, err) {
  const code = err instanceof ApiError ? err.code : null;
  if (code === 'BACKUP_FAILED') {
    phases.set('backup', 'failed', 'the box did not give its parameters, so nothing was written');
  } else if (code === 'PARAMS_READ_FAILED') {
    const d = /** @type {{ beforeRestoreSnapshotId?: number, write?: { status: string } | null }} */ (/** @type {ApiError} */ (err).details ?? {});
    phases.set('backup', 'done', d.beforeRestoreSnapshotId ? `kept as backup #${d.beforeRestoreSnapshotId}` : 'done');
    phases.set('write', d.write?.status === 'succeeded' ? 'done' : 'failed', d.write ? `the write ${d.write.status}` : 'sent');
    phases.set('read', 'failed', 'the box did not answer with its parameters; compare it with the box now to see what it holds');
  } else {
    phases.set('backup', 'skipped', 'not started: nothing was written');
  }
}

/**
 * Restoring one backup onto a box: the compatibility check and what will change (read from
 * the box, nothing written), a confirmation, the steps while it runs, and the verification
 * parameter by parameter. `onRestored` runs after a restore (its before-restore backup is new).
 * @param {{ serial: string, backup: SnapshotSummary, onRestored: () => void }} spec
 */
export function restoreFlow({ serial, backup, onRestored }) {
  const checkArea = h('div', {});
  const actions = h('div', { class: 'restore-actions' });
  const runArea = h('div', { class: 'restore-run' });
  const el = h('div', { class: 'restore-flow' }, h('h3', {}, `Restore backup #${backup.id} to ${serial}`), checkArea, actions, runArea);
  const query = backup.serial === serial ? '' : `?sn=${encodeURIComponent(serial)}`;

  /** @param {RestoreCheckView} check @param {SnapshotDetail} detail */
  async function run(check, detail) {
    const choice = await askToRestore(check);
    if (!choice) return;
    actions.replaceChildren();
    const phases = phaseList();
    const line = progressLine(`Restoring backup #${backup.id}: the box is backed up, written, read back and verified in one go…`);
    runArea.replaceChildren(line.el, phases.el);
    try {
      const body = { backupId: backup.id, ...(choice.force ? { force: true } : {}) };
      const report = /** @type {RestoreReport} */ (await api(`/devices/${encodeURIComponent(serial)}/restore`, { method: 'POST', body }));
      line.el.replaceWith(h('p', { class: 'muted' }, `Finished in ${line.elapsedS()} s.`));
      showPhases(phases, report, detail.count);
      runArea.append(
        verificationView(report, detail),
        h('div', { class: 'restore-actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => el.remove() }, 'Close')),
      );
      onRestored();
    } catch (err) {
      showFailure(phases, err);
      line.el.replaceWith(h('p', { class: 'error', role: 'alert' }, `The restore failed: ${errorText(err)}`));
      runArea.append(
        h('div', { class: 'restore-actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => void loadCheck() }, 'Check again')),
      );
    } finally {
      line.done();
    }
  }

  async function loadCheck() {
    actions.replaceChildren();
    runArea.replaceChildren();
    try {
      const [check, detail] = await withProgress(checkArea, `Checking backup #${backup.id} against the box: reading its parameters…`, () =>
        Promise.all([
          /** @type {Promise<RestoreCheckView>} */ (api(`/backups/${backup.id}/restore-check${query}`)),
          /** @type {Promise<SnapshotDetail>} */ (api(`/backups/${backup.id}`)),
        ]),
      );
      checkArea.replaceChildren(compatibilityView(check), changesView(check));
      actions.replaceChildren(
        h(
          'button',
          { type: 'button', class: 'danger', 'data-testid': 'restore-confirm', onclick: () => void run(check, detail) },
          check.compatibility.allowed ? `Restore backup #${backup.id}…` : 'Restore anyway…',
        ),
        h('button', { type: 'button', class: 'secondary', onclick: () => el.remove() }, 'Close'),
      );
    } catch (err) {
      checkArea.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Could not check the restore: ${errorText(err)}`));
      actions.replaceChildren(h('button', { type: 'button', class: 'secondary', onclick: () => void loadCheck() }, 'Try again'));
    }
  }

  void loadCheck();
  return el;
}
