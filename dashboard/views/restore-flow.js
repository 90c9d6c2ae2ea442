import { api, ApiError } from '../api.js';
import { badge, data, h, tNodes } from '../dom.js';
import { errorText } from '../error-words.js';
import { t } from '../i18n.js';

import { confirmDialog, formDialog } from '../ui.js';
import { buildNodes, diffView, paramText } from './params-diff.js';
import { progressLine, withProgress } from './params-progress.js';

/** @typedef {import('../api.js').SnapshotSummary} SnapshotSummary */
/** @typedef {import('../api.js').SnapshotDetail} SnapshotDetail */
/** @typedef {import('../api.js').RestoreCheckView} RestoreCheckView */
/** @typedef {import('../api.js').RestoreReport} RestoreReport */
/** @typedef {'backup' | 'write' | 'read' | 'verify'} Phase */

/** The steps the backend runs, in order, for one restore (docs/params.md, "Restore"). */
const PHASES = /** @type {const} */ ([
  ['backup', 'params.restore.phase.backup'],
  ['write', 'params.restore.phase.write'],
  ['read', 'params.restore.phase.read'],
  ['verify', 'params.restore.phase.verify'],
]);

/** "3 parameters". @param {number} n */
const parameters = (n) => t('params.count.parameters', { count: n });

/** @param {{ model: string, firmware: string | null }} build */
const buildNode = (build) => h('span', {}, buildNodes(build));

/** The verdict on model and firmware, with both builds and every reason in words. @param {RestoreCheckView} check */
function compatibilityView(check) {
  const { allowed, reasons, notes } = check.compatibility;
  return h(
    'div',
    { class: 'restore-compat' },
    h(
      'h4',
      {},
      `${t('params.restore.compatibility')} `,
      allowed ? badge(t('params.restore.compatible'), 'ok') : badge(t('params.restore.notCompatible'), 'bad'),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('params.restore.backup')),
      h('dd', {}, tNodes('params.restore.takenOf', { build: buildNode(check.snapshot), serial: data(check.snapshot.serial) })),
      h('dt', {}, t('params.restore.thisBoxNow')),
      h('dd', {}, tNodes('params.restore.boxBuild', { build: buildNode(check.box), serial: data(check.serial) })),
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
    h('h4', {}, t('params.restore.changesTitle')),
    writes === 0 && Object.keys(check.added).length === 0
      ? h('p', { class: 'diff-none' }, t('params.restore.nothingToWrite'))
      : diffView(check, {
          from: t('params.restore.onBoxNow'),
          to: t('params.restore.afterRestore'),
          added: t('params.restore.notSent'),
          removed: t('params.restore.leftAlone'),
          same: '',
        }),
    h('p', { class: 'muted' }, t('params.restore.othersHold', { count: check.unchanged })),
  );
}

/** Parameter names (data), at most twelve of them. @param {string[]} names */
function nameList(names) {
  const shown = data(names.slice(0, 12).join(', '));
  return names.length > 12 ? h('span', {}, tNodes('params.names.more', { names: shown, more: names.length - 12 })) : shown;
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
        ? tNodes('params.restore.nothingDiffers', { serial: data(check.serial) })
        : tNodes('params.restore.willWrite', { count: names.length, serial: data(check.serial), names: nameList(names) }),
    ),
    h('p', {}, t('params.restore.undoable')),
  ];
  const title = t('params.restore.askTitle', { id: check.backupId, serial: check.serial });
  if (check.compatibility.allowed) return (await confirmDialog({ title, body, confirm: t('params.restore.confirm') })) ? { force: false } : null;
  const answer = await formDialog({
    title,
    intro: [
      h('p', { class: 'error' }, t('params.restore.doesNotFit')),
      h(
        'ul',
        { class: 'reasons' },
        check.compatibility.reasons.map((r) => h('li', {}, r)),
      ),
      ...body,
    ],
    fields: [{ name: 'force', label: t('params.restore.forceLabel'), type: 'checkbox', required: true }],
    submit: t('params.restore.anyway'),
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
      outcome[phase] = h('span', { class: 'phase-outcome muted' }, t('params.restore.waiting'));
      items[phase] = h('li', { class: 'phase', 'data-phase': phase }, h('span', { class: 'phase-label' }, t(label)), ' — ', outcome[phase]);
      return items[phase];
    }),
  );
  return {
    el,
    /** @param {Phase} phase @param {'done' | 'failed' | 'skipped'} state @param {string | (string | Node)[]} text */
    set(phase, state, text) {
      items[phase].className = `phase ${state}`;
      outcome[phase].className = 'phase-outcome';
      outcome[phase].replaceChildren(...(typeof text === 'string' ? [text] : text));
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
  phases.set('backup', 'done', t('params.restore.keptAs', { id: report.beforeRestoreSnapshotId }));
  if (report.write === null) {
    phases.set('write', 'skipped', t('params.restore.writeSkipped'));
    phases.set('read', 'skipped', t('params.restore.readSkipped'));
  } else {
    const { status, error } = report.write;
    if (status === 'succeeded') phases.set('write', 'done', t('params.restore.boxTook', { count: parameters(report.applied.length) }));
    else
      phases.set(
        'write',
        'failed',
        error
          ? tNodes('params.restore.boxAnswered', { message: data(error.message) })
          : tNodes('params.restore.writeStatus', { status: data(status) }),
      );
    phases.set('read', 'done', t('params.restore.readBack', { count: parameters(backupCount - report.skipped.length) }));
  }
  const bad = Object.keys(report.mismatches).length;
  phases.set(
    'verify',
    bad === 0 ? 'done' : 'failed',
    bad === 0 ? t('params.restore.allMatch') : t('params.restore.someDoNot', { count: parameters(bad) }),
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
      h('td', { class: 'mono', translate: 'no' }, name),
      h('td', {}, data(paramText(expected))),
      h('td', {}, m ? (m.actual === null ? t('params.notOnBox') : data(paramText(m.actual))) : data(paramText(expected))),
      h(
        'td',
        {},
        m
          ? [badge(t('params.restore.mismatch'), 'bad'), m.reason ? h('div', { class: 'muted' }, m.reason) : null]
          : badge(t('params.restore.verified'), 'ok'),
      ),
    );
  });
  const others = total - names.length;
  return h(
    'div',
    { class: 'restore-result' },
    h(
      'p',
      { class: 'restore-verdict' },
      report.verified ? badge(t('params.restore.verified'), 'ok') : badge(t('params.restore.notVerified'), 'bad'),
      ' ',
      report.verified
        ? t('params.restore.allReadBack', { count: parameters(total), id: report.backupId })
        : t('params.restore.someDiffer', { bad, count: parameters(total), id: report.backupId }),
    ),
    report.compatibility.forced.length > 0
      ? h('p', { class: 'muted' }, t('params.restore.forced', { reasons: report.compatibility.forced.join('; ') }))
      : null,
    rows.length > 0
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'params-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, t('params.table.parameter')),
                h('th', {}, t('params.restore.expected')),
                h('th', {}, t('params.restore.readBackHeading')),
                h('th', {}, t('params.restore.result')),
              ),
            ),
            h('tbody', {}, rows),
          ),
        )
      : null,
    others > 0 ? h('p', { class: 'muted' }, t('params.restore.othersSame', { count: parameters(others) })) : null,
    report.skipped.length > 0 ? h('p', { class: 'muted' }, tNodes('params.restore.leftUnverified', { names: nameList(report.skipped) })) : null,
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
    phases.set('backup', 'failed', t('params.restore.backupFailed'));
  } else if (code === 'PARAMS_READ_FAILED') {
    const d = /** @type {{ beforeRestoreSnapshotId?: number, write?: { status: string } | null }} */ (/** @type {ApiError} */ (err).details ?? {});
    phases.set(
      'backup',
      'done',
      d.beforeRestoreSnapshotId ? t('params.restore.keptAs', { id: d.beforeRestoreSnapshotId }) : t('params.restore.done'),
    );
    phases.set(
      'write',
      d.write?.status === 'succeeded' ? 'done' : 'failed',
      d.write ? tNodes('params.restore.writeStatus', { status: data(d.write.status) }) : t('params.restore.sent'),
    );
    phases.set('read', 'failed', t('params.restore.readFailed'));
  } else {
    phases.set('backup', 'skipped', t('params.restore.notStarted'));
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
  const el = h('div', { class: 'restore-flow' }, h('h3', {}, t('params.restore.title', { id: backup.id, serial })), checkArea, actions, runArea);
  const query = backup.serial === serial ? '' : `?sn=${encodeURIComponent(serial)}`;

  /** @param {RestoreCheckView} check @param {SnapshotDetail} detail */
  async function run(check, detail) {
    const choice = await askToRestore(check);
    if (!choice) return;
    actions.replaceChildren();
    const phases = phaseList();
    const line = progressLine(t('params.restore.running', { id: backup.id }));
    runArea.replaceChildren(line.el, phases.el);
    try {
      const body = { backupId: backup.id, ...(choice.force ? { force: true } : {}) };
      const report = /** @type {RestoreReport} */ (await api(`/devices/${encodeURIComponent(serial)}/restore`, { method: 'POST', body }));
      line.el.replaceWith(h('p', { class: 'muted' }, t('params.restore.finished', { seconds: line.elapsedS() })));
      showPhases(phases, report, detail.count);
      runArea.append(
        verificationView(report, detail),
        h('div', { class: 'restore-actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => el.remove() }, t('params.close'))),
      );
      onRestored();
    } catch (err) {
      showFailure(phases, err);
      line.el.replaceWith(h('p', { class: 'error', role: 'alert' }, t('params.restore.failed', { reason: errorText(err) })));
      runArea.append(
        h(
          'div',
          { class: 'restore-actions' },
          h('button', { type: 'button', class: 'secondary', onclick: () => void loadCheck() }, t('params.restore.checkAgain')),
        ),
      );
    } finally {
      line.done();
    }
  }

  async function loadCheck() {
    actions.replaceChildren();
    runArea.replaceChildren();
    try {
      const [check, detail] = await withProgress(checkArea, t('params.restore.checking', { id: backup.id }), () =>
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
          check.compatibility.allowed ? t('params.restore.restoreN', { id: backup.id }) : t('params.restore.anywayEllipsis'),
        ),
        h('button', { type: 'button', class: 'secondary', onclick: () => el.remove() }, t('params.close')),
      );
    } catch (err) {
      checkArea.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('params.restore.checkFailed', { reason: errorText(err) })));
      actions.replaceChildren(h('button', { type: 'button', class: 'secondary', onclick: () => void loadCheck() }, t('params.restore.tryAgain')));
    }
  }

  void loadCheck();
  return el;
}
