import { formatDateTime, t } from './i18n.js';

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
 * Data shown as it was typed or reported (a serial, a name, a note, a parameter value): marked
 * `translate="no"`, so neither a translation tool nor the language check touches it.
 * @param {string | number} text
 * @param {string} [tag]
 */
export function data(text, tag = 'span') {
  return h(/** @type {'span'} */ (tag), { translate: 'no' }, String(text));
}
