import { badge, h, when } from '../dom.js';

/** @typedef {import('../api.js').FaultList['faults'][number]} Fault */
/** @typedef {import('../api.js').CatalogView['entries'][number]} CatalogEntry */

/** @type {Record<Fault['severity'], string>} */
const SEVERITY_TONE = { info: 'info', warning: 'warn', error: 'bad', critical: 'bad' };

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
      h('strong', { class: 'fault-title' }, entry?.title ?? 'Not in the fault catalog'),
      badge(f.severity, SEVERITY_TONE[f.severity]),
      f.state === 'cleared' ? badge('cleared') : null,
    ),
    h('div', { class: 'muted' }, h('span', { class: 'mono' }, f.code), ` · ${when(f.ts)}`),
    f.message ? h('p', { class: 'fault-message' }, f.message) : null,
    entry
      ? h(
          'details',
          {},
          h('summary', {}, `Guidance (${entry.remedy})`),
          h(
            'ol',
            {},
            entry.steps.map((s) => h('li', {}, s)),
          ),
        )
      : null,
  );
}

/**
 * The box's faults, newest first, named by the catalog.
 * @param {Fault[]} faults
 * @param {readonly CatalogEntry[]} catalog
 */
export function faultHistory(faults, catalog) {
  if (faults.length === 0) return h('p', { class: 'empty' }, 'This box has reported no faults.');
  const byCode = new Map(catalog.map((e) => [e.code, e]));
  const newestFirst = [...faults].sort((a, b) => b.ts - a.ts);
  return h(
    'ol',
    { class: 'faults' },
    newestFirst.map((f) => faultItem(f, byCode.get(f.code))),
  );
}
