import { t } from '../i18n.js';

/*
 * A message whose arguments may be nodes. t() answers text, so a serial, a username or a
 * parameter name put in a sentence would lose its `translate="no"` mark (dom.js `data()`) and
 * read as words of the page: the message is formatted with a marker in each node's place and
 * the nodes are put back.
 */

const MARK = '\u0001';

/**
 * @param {import('../i18n.js').MessageKey} key
 * @param {Record<string, string | number | Node>} values
 * @returns {(string | Node)[]}
 */
export function tNodes(key, values) {
  /** @type {Node[]} */
  const nodes = [];
  /** @type {Record<string, string | number>} */
  const plain = {};
  for (const [name, value] of Object.entries(values)) {
    if (value instanceof Node) {
      plain[name] = `${MARK}${nodes.length}${MARK}`;
      nodes.push(value);
    } else plain[name] = value;
  }
  return t(key, plain)
    .split(MARK)
    .map((part, i) => (i % 2 === 1 ? /** @type {Node} */ (nodes[Number(part)]) : part))
    .filter((part) => part !== '');
}
