import { apiPage } from '../api.js';
import { catalogEntries } from '../catalog.js';
import { badge, catalogText, h, when } from '../dom.js';
import { t } from '../i18n.js';
import { pagedList, section } from '../ui.js';
import { severityWords } from '../words.js';

/** @typedef {import('../api.js').FaultList['faults'][number]} Fault */
/** @typedef {import('../api.js').CatalogView['entries'][number]} CatalogEntry */

/** @type {Record<Fault['severity'], string>} */
const SEVERITY_TONE = { info: 'info', warning: 'warn', error: 'bad', critical: 'bad' };
/** @type {Record<CatalogEntry['remedy'], import('../i18n.js').MessageKey>} */
const REMEDY_WORDS = { remote: 'fleet.remedy.remote', rma: 'fleet.remedy.rma', evidence: 'fleet.remedy.evidence' };

/**
 * One fault: what the catalog calls its code, what the box said (as text) and the catalog's
 * guidance steps.
 * @param {Fault} f
 * @param {CatalogEntry | undefined} entry
 */
function faultItem(f, entry) {
  return h(
    'li',
    { class: 'fault', 'data-fault-id': f.id },
    h(
      'div',
      { class: 'fault-head' },
      h('strong', { class: 'fault-title' }, entry?.title ?? t('fleet.faults.notInCatalog')),
      badge(severityWords(f.severity), SEVERITY_TONE[f.severity]),
      f.state === 'cleared' ? badge(t('fleet.faults.cleared')) : null,
    ),
    h('div', { class: 'muted' }, h('span', { class: 'mono', translate: 'no' }, f.code), ` · ${when(f.ts)}`),
    // What the box said, as it said it.
    f.message ? h('p', { class: 'fault-message', translate: 'no' }, f.message) : null,
    entry
      ? h(
          'details',
          {},
          h('summary', {}, t('fleet.faults.guidance', { remedy: t(REMEDY_WORDS[entry.remedy]) })),
          h(
            'ol',
            {},
            entry.steps.map((s) => h('li', {}, catalogText(s))),
          ),
        )
      : null,
  );
}

/**
 * The box's faults, newest first (the server's order), named by the catalog, a page at a time.
 * @param {string} serial
 */
export function faultList(serial) {
  const card = section(t('fleet.faults.title'));
  /** @type {Map<string, CatalogEntry>} */
  let byCode = new Map();
  const list = pagedList({
    empty: t('fleet.faults.none'),
    async fetchPage(cursor) {
      const entries = await catalogEntries().catch(() => null);
      if (entries) byCode = new Map(entries.map((e) => [e.code, e]));
      const { data, next } = await apiPage(`/devices/${encodeURIComponent(serial)}/faults?limit=50`, cursor);
      return { items: /** @type {import('../api.js').FaultList} */ (data).faults, next };
    },
    render: (/** @type {Fault[]} */ faults) =>
      h(
        'ol',
        { class: 'faults' },
        faults.map((f) => faultItem(f, byCode.get(f.code))),
      ),
  });
  card.show(list.el);
  return { el: card.el, reset: list.reset };
}
