import { api, apiPage } from '../api.js';
import { signedInUser } from '../app.js';
import { data, h, tNodes, when } from '../dom.js';
import { errorText } from '../error-words.js';
import { formatNumber, t } from '../i18n.js';
import { pagedList } from '../ui.js';

import { buildNodes, diffView, paramsByGroup } from './params-diff.js';
import { withProgress } from './params-progress.js';
import { restoreFlow } from './restore-flow.js';

/** @typedef {import('../api.js').SnapshotSummary} SnapshotSummary */
/** @typedef {import('../api.js').SnapshotDetail} SnapshotDetail */
/** @typedef {import('../api.js').CreatedSnapshot} CreatedSnapshot */
/** @typedef {import('../api.js').ParamDiffView} ParamDiffView */
/** @typedef {import('../api.js').LiveDiffView} LiveDiffView */

const PAGE_SIZE = 20;
/** The value of the "to" picker that means the box as it is now. */
const LIVE = 'live';

/** Why a snapshot was taken, in words (docs/params.md, "Snapshots"). @type {Record<SnapshotSummary['reason'], import('../i18n.js').MessageKey>} */
const REASONS = {
  manual: 'params.reason.manual',
  'rma-opened': 'params.reason.rma-opened',
  'before-params-set': 'params.reason.before-params-set',
  'before-restore': 'params.reason.before-restore',
  schedule: 'params.reason.schedule',
};

/** @param {number} bytes */
function sizeText(bytes) {
  return bytes < 1024
    ? t('params.size.bytes', { size: bytes })
    : t('params.size.kib', { size: formatNumber(bytes / 1024, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });
}

/** @param {SnapshotSummary} s */
const label = (s) => `#${s.id} · ${when(s.createdAt)}`;

/**
 * The parameter backups of one box, for the device page and the ticket page: take a backup
 * (with progress while the box answers), the snapshots page by page with their parameters
 * grouped, the diff of two snapshots or of a snapshot against the box now, and the restore
 * with its compatibility check and verification. Buttons that write are shown only to roles
 * with `params:write`; the server decides anyway.
 * @param {{ serial: string }} spec
 * @returns {{ el: HTMLElement, refresh: () => Promise<void> }}
 */
export function backupsPanel({ serial }) {
  const canWrite = signedInUser().permissions.includes('params:write');
  const path = `/devices/${encodeURIComponent(serial)}/backups`;
  const status = h('div', { class: 'backup-status', 'aria-live': 'polite' });
  const work = h('div', { class: 'backup-work' });
  const fromPick = h('select', { name: 'diff-from', 'aria-label': t('params.backups.compareFrom') });
  const toPick = h('select', { name: 'diff-to', 'aria-label': t('params.backups.compareTo') });
  const compareButton = h('button', { type: 'button', class: 'secondary' }, t('params.backups.showDifferences'));
  const compare = h(
    'div',
    { class: 'backup-compare', hidden: true },
    h('label', {}, h('span', { class: 'muted' }, t('params.backups.from')), fromPick),
    h('label', {}, h('span', { class: 'muted' }, t('params.backups.to')), toPick),
    compareButton,
  );
  /** Snapshots loaded so far, newest first: what the pickers offer. @type {SnapshotSummary[]} */
  let loaded = [];

  const list = pagedList({
    async fetchPage(cursor) {
      const page = await apiPage(`${path}?limit=${PAGE_SIZE}`, cursor);
      const items = /** @type {SnapshotSummary[]} */ (page.data);
      loaded = cursor === null ? items : [...loaded, ...items];
      fillPickers();
      return { items, next: page.next };
    },
    render: (items) =>
      h(
        'ul',
        { class: 'snapshots' },
        items.map((s) => snapshotItem(s)),
      ),
    empty: canWrite ? t('params.backups.emptyTakeOne') : t('params.backups.empty'),
  });

  const takeButton = h('button', { type: 'button', 'data-testid': 'take-backup' }, t('params.backups.take'));
  takeButton.addEventListener('click', () => void takeBackup());
  const el = h(
    'section',
    { class: 'card backups-panel', 'aria-labelledby': `backups-title-${serial}` },
    h('h2', { id: `backups-title-${serial}` }, t('params.backups.title'), canWrite ? h('span', { class: 'card-tools' }, takeButton) : null),
    status,
    compare,
    work,
    list.el,
  );

  function fillPickers() {
    const keep = [fromPick.value, toPick.value];
    const options = () => loaded.map((s) => h('option', { value: String(s.id) }, label(s)));
    fromPick.replaceChildren(...options());
    toPick.replaceChildren(h('option', { value: LIVE }, t('params.backups.boxNowOption')), ...options());
    // Defaults: the newest two snapshots, older → newer; a single one against the box now.
    fromPick.value = keep[0] && loaded.some((s) => String(s.id) === keep[0]) ? keep[0] : String(loaded[1]?.id ?? loaded[0]?.id ?? '');
    toPick.value =
      keep[1] && (keep[1] === LIVE || loaded.some((s) => String(s.id) === keep[1])) ? keep[1] : loaded.length > 1 ? String(loaded[0]?.id) : LIVE;
    compare.hidden = loaded.length === 0;
  }

  /** @param {HTMLElement} content */
  function showWork(content) {
    // The outcome of an earlier backup would read as news about this new work.
    status.replaceChildren();
    work.replaceChildren(content);
    content.scrollIntoView?.({ block: 'nearest' });
  }

  async function takeBackup() {
    takeButton.disabled = true;
    try {
      const created = await withProgress(
        status,
        t('params.backups.reading'),
        () => /** @type {Promise<CreatedSnapshot>} */ (api(path, { method: 'POST', body: {} })),
      );
      status.replaceChildren(
        h(
          'p',
          { class: created.deduplicated ? 'backup-outcome muted' : 'backup-outcome ok' },
          created.deduplicated
            ? t('params.backups.unchanged', { id: created.id, time: when(created.createdAt), count: created.count })
            : t('params.backups.taken', { id: created.id, count: created.count, size: sizeText(created.size) }),
        ),
      );
      await list.reset();
    } catch (err) {
      status.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('params.backups.failed', { reason: errorText(err) })));
    } finally {
      takeButton.disabled = false;
    }
  }

  /**
   * Shows what differs from snapshot `fromId` to snapshot `to`, or to the box now (read with
   * params.get, which takes seconds: progress meanwhile).
   * @param {number} fromId
   * @param {number | typeof LIVE} to
   */
  async function showDiff(fromId, to) {
    const area = h('div', { class: 'diff-result' });
    const title = h('h3', {}, to === LIVE ? t('params.backups.diffToNow', { from: fromId }) : t('params.backups.diffToBackup', { from: fromId, to }));
    const close = h('button', { type: 'button', class: 'secondary', onclick: () => box.remove() }, t('params.close'));
    const box = h('div', { class: 'backup-diff' }, title, area, close);
    showWork(box);
    compareButton.disabled = true;
    try {
      const diff =
        to === LIVE
          ? await withProgress(
              area,
              t('params.backups.readingToCompare'),
              () => /** @type {Promise<LiveDiffView>} */ (api(`/backups/${fromId}/diff/live`)),
            )
          : /** @type {ParamDiffView} */ (await api(`/backups/${fromId}/diff/${to}`));
      const words = {
        from: t('params.backups.backupN', { id: fromId }),
        to: to === LIVE ? t('params.backups.boxNow') : t('params.backups.backupN', { id: to }),
        added: to === LIVE ? t('params.backups.onlyOnBox') : t('params.backups.onlyIn', { id: to }),
        removed: to === LIVE ? t('params.backups.notOnBox') : t('params.backups.onlyIn', { id: fromId }),
        same: to === LIVE ? t('params.backups.sameAsBox', { id: fromId }) : t('params.backups.sameBackups'),
      };
      area.replaceChildren(diffView(diff, words));
    } catch (err) {
      area.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('params.backups.compareFailed', { reason: errorText(err) })));
    } finally {
      compareButton.disabled = false;
    }
  }

  compareButton.addEventListener('click', () => {
    const from = Number(fromPick.value);
    if (!from) return;
    void showDiff(from, toPick.value === LIVE ? LIVE : Number(toPick.value));
  });

  /** The parameters of one snapshot, group by group, loaded when first opened. @param {SnapshotSummary} s */
  function paramsDetails(s) {
    const body = h('div', {}, h('p', { class: 'muted' }, t('params.backups.loadingParams')));
    const details = h('details', { class: 'snapshot-params' }, h('summary', {}, t('params.backups.parameters')), body);
    let loading = false;
    details.addEventListener('toggle', async () => {
      if (!details.open || loading) return;
      loading = true;
      try {
        const detail = /** @type {SnapshotDetail} */ (await api(`/backups/${s.id}`));
        body.replaceChildren(paramsByGroup(detail.params));
      } catch (err) {
        loading = false;
        body.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('common.couldNotLoad', { reason: errorText(err) })));
      }
    });
    return details;
  }

  /** @param {SnapshotSummary} s */
  function snapshotItem(s) {
    /** @type {(string | Node)[][]} */
    const parts = [[t(REASONS[s.reason])], tNodes('params.backups.by', { user: data(s.createdBy) })];
    if (s.ticketId !== null) parts.push([t('params.backups.ticket', { id: s.ticketId })]);
    const why = parts.flatMap((part, i) => (i === 0 ? part : [' · ', ...part]));
    return h(
      'li',
      { class: 'snapshot', 'data-id': String(s.id) },
      h('div', { class: 'snapshot-head' }, h('strong', {}, `#${s.id}`), h('span', {}, when(s.createdAt))),
      h('div', { class: 'snapshot-why' }, why),
      s.note ? h('div', { class: 'snapshot-note', translate: 'no' }, s.note) : null,
      h('div', { class: 'muted' }, tNodes('params.backups.facts', { count: s.count, size: sizeText(s.size), build: h('span', {}, buildNodes(s)) })),
      h(
        'div',
        { class: 'snapshot-actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => void showDiff(s.id, LIVE) }, t('params.backups.compareNow')),
        canWrite
          ? h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: () => showWork(restoreFlow({ serial, backup: s, onRestored: () => void list.reset() })),
              },
              t('params.backups.restore'),
            )
          : null,
      ),
      paramsDetails(s),
    );
  }

  return {
    el,
    // Reloads the list only: a diff or a restore on show stays while the page refreshes.
    refresh: () => list.reset(),
  };
}
