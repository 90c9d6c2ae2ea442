import { badge, data, h, tNodes } from '../dom.js';
import { t } from '../i18n.js';

/** @typedef {import('../api.js').ParamDiffView} ParamDiffView */
/** @typedef {ParamDiffView['added'][string]} ParamValue */

/**
 * A parameter value as text. The box types its values (`9600` and `"9600"` differ), so a
 * string that would read as a number, a boolean or nothing is shown in quotes.
 * @param {ParamValue | null | undefined} value
 */
export function paramText(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'string') return String(value);
  return value === '' || /^(-?\d+(\.\d+)?|true|false)$/.test(value) ? JSON.stringify(value) : value;
}

/** A model and firmware as the box reported them, in a sentence. @param {{ model: string, firmware: string | null }} build */
export function buildNodes(build) {
  return tNodes('params.build', { model: data(build.model), firmware: build.firmware === null ? t('params.unknown') : data(build.firmware) });
}

/** `plc.baud` → `plc`: the group is the name's first segment (docs/protocol.md). @param {string} name */
export function groupOf(name) {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/**
 * A table in its own scrolling box (the page never scrolls sideways on a phone).
 * @param {string[]} headings
 * @param {HTMLTableRowElement[]} rows
 */
function wrappedTable(headings, rows) {
  return h(
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
          headings.map((t) => h('th', {}, t)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

/**
 * A whole parameter set, group by group, names sorted.
 * @param {Record<string, ParamValue>} params
 */
export function paramsByGroup(params) {
  /** @type {Map<string, string[]>} */
  const groups = new Map();
  for (const name of Object.keys(params).sort()) {
    const group = groupOf(name);
    groups.set(group, [...(groups.get(group) ?? []), name]);
  }
  return h(
    'div',
    { class: 'param-groups' },
    [...groups].map(([group, names]) =>
      h(
        'section',
        { class: 'param-group', 'data-group': group },
        h('h4', {}, data(group), h('span', { class: 'muted' }, ` · ${names.length}`)),
        wrappedTable(
          [t('params.table.parameter'), t('params.table.value')],
          names.map((name) =>
            h(
              'tr',
              {},
              h('td', { class: 'mono', translate: 'no' }, name),
              h('td', { class: 'param-value', translate: 'no' }, paramText(params[name])),
            ),
          ),
        ),
      ),
    ),
  );
}

/**
 * How to read a diff: the two column headings, and what an entry only on one side means.
 * @typedef {{ from: string, to: string, added: string, removed: string, same: string }} DiffWords
 */

/**
 * A diff grouped by parameter group, changed values side by side (old | new), entries only on
 * one side marked in words; "no differences" said as such.
 * @param {ParamDiffView} diff
 * @param {DiffWords} words
 */
export function diffView(diff, words) {
  const groups = Object.keys(diff.byGroup).sort();
  if (groups.length === 0) return h('p', { class: 'diff-none' }, words.same);
  const totals = { changed: Object.keys(diff.changed).length, added: Object.keys(diff.added).length, removed: Object.keys(diff.removed).length };
  const summary = [
    totals.changed > 0 && t('params.diff.changedValues', { count: totals.changed }),
    totals.added > 0 && t('params.diff.sideCount', { count: totals.added, what: words.added }),
    totals.removed > 0 && t('params.diff.sideCount', { count: totals.removed, what: words.removed }),
  ].filter((part) => typeof part === 'string');
  return h(
    'div',
    { class: 'diff' },
    h('p', { class: 'diff-summary' }, t('params.sentence.end', { text: summary.join(t('params.sentence.sep')) })),
    groups.map((group) => {
      const g = /** @type {ParamDiffView['byGroup'][string]} */ (diff.byGroup[group]);
      /** @type {HTMLTableRowElement[]} */
      const rows = [];
      /**
       * @param {string} name
       * @param {'changed' | 'added' | 'removed'} kind
       * @param {import('../dom.js').Child} from
       * @param {import('../dom.js').Child} to
       */
      const row = (name, kind, from, to) =>
        h(
          'tr',
          { class: `diff-row ${kind}`, 'data-param': name },
          h('td', { class: 'mono' }, data(name), kind === 'changed' ? null : [' ', badge(words[kind], kind === 'added' ? 'info' : 'warn')]),
          h('td', { class: 'diff-from' }, from),
          h('td', { class: 'diff-to' }, to),
        );
      const names = [...new Set([...Object.keys(g.changed), ...Object.keys(g.added), ...Object.keys(g.removed)])].sort();
      for (const name of names) {
        const change = g.changed[name];
        if (change) rows.push(row(name, 'changed', data(paramText(change.from)), data(paramText(change.to))));
        else if (Object.hasOwn(g.added, name)) rows.push(row(name, 'added', h('span', { class: 'muted' }, '—'), data(paramText(g.added[name]))));
        else rows.push(row(name, 'removed', data(paramText(g.removed[name])), h('span', { class: 'muted' }, '—')));
      }
      return h(
        'section',
        { class: 'param-group', 'data-group': group },
        h('h4', {}, data(group), h('span', { class: 'muted' }, ` · ${t('params.diff.differences', { count: names.length })}`)),
        wrappedTable([t('params.table.parameter'), words.from, words.to], rows),
      );
    }),
  );
}
