import { currentLocale, formatDateTime, t } from './i18n.js';

/**
 * An attribute value: absent when null, undefined or false; `on…` names take a listener.
 * @typedef {Record<string, string | number | boolean | EventListener | null | undefined>} Attributes
 */
/** A child: text (never markup), a node, or nothing when null, undefined or false. @typedef {Node | string | number | false | null | undefined} Child */

/**
 * Builds an element. Strings and numbers become text nodes, never markup: everything a box
 * or a user wrote is shown through this or textContent, so it cannot inject HTML.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attributes} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = /** @type {string} */ (value);
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), /** @type {EventListener} */ (value));
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * A table with a header row; `rows` are arrays of cells (strings or nodes).
 * @param {string[]} headings
 * @param {Child[][]} rows
 * @param {string} [empty]
 */
export function table(headings, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty ?? t('common.nothingToShow'));
  // On a phone a wide table scrolls inside its own box, never the page.
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headings.map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((cells) =>
          h(
            'tr',
            {},
            cells.map((c) => h('td', {}, c)),
          ),
        ),
      ),
    ),
  );
}

/**
 * @param {string} text
 * @param {string} [tone] `ok`, `warn`, `bad`, `info` or none (styles.css)
 */
export function badge(text, tone = '') {
  return h('span', { class: `badge ${tone}`.trim() }, text);
}

/** A moment as date and time in the account's zone (i18n.js formatDateTime). @param {number | null | undefined} ms epoch milliseconds */
export function when(ms) {
  return formatDateTime(ms);
}

/**
 * A message whose values may be nodes (`data()`, a link, a time element). t() answers text, so
 * a node's place is marked, the message formatted, and the nodes put back: each language keeps
 * its word order and data keeps its `translate="no"`. Nodes fill plain `{name}` arguments only.
 * @param {import('./i18n.js').MessageKey} key
 * @param {Record<string, string | number | Date | Node>} [values]
 * @returns {(string | Node)[]}
 */
export function tNodes(key, values = {}) {
  /** @type {Node[]} */
  const nodes = [];
  /** @type {import('./i18n.js').MessageValues} */
  const plain = {};
  for (const [name, value] of Object.entries(values)) {
    if (value instanceof Node) {
      // Private-use characters: no message or value contains them.
      plain[name] = `\uE000${nodes.length}\uE001`;
      nodes.push(value);
    } else plain[name] = value;
  }
  /** @type {Set<Node>} */
  const placed = new Set();
  return t(key, plain)
    .split(/\uE000(\d+)\uE001/)
    .map((part, i) => {
      if (i % 2 === 0) return part;
      const node = /** @type {Node} */ (nodes[Number(part)]);
      // A message that names an argument twice shows a copy the second time.
      if (placed.has(node)) return node.cloneNode(true);
      placed.add(node);
      return node;
    })
    .filter((part) => part !== '');
}

/**
 * Fault-catalog text (a title, a guidance step), kept apart so it can be told from the page's
 * words. In Chinese the Latin names in a step (a parameter group, a field, a value to set:
 * `cellular`, `rssi`, `auto`) are what the engineer types, so they are shown as code.
 * @param {string} text
 */
export function catalogText(text) {
  if (currentLocale() !== 'zh-CN') return h('span', { class: 'catalog-text' }, text);
  const parts = text.split(/((?<![A-Za-z0-9])[a-z][A-Za-z0-9]*(?:[._:/-][A-Za-z0-9]+)*)/);
  return h(
    'span',
    { class: 'catalog-text' },
    parts.map((part, i) => (i % 2 === 1 ? h('code', { translate: 'no' }, part) : part)),
  );
}

/**
 * Data shown as it was typed or reported (a serial, a name, a note, a parameter value): marked
 * `translate="no"`, so neither a translation tool nor the language check touches it.
 * @param {string | number} text
 * @param {string} [tag]
 */
export function data(text, tag = 'span') {
  return h(/** @type {'span'} */ (tag), { translate: 'no' }, String(text));
}
