import { h, when } from '../dom.js';

/*
 * Plain-language words for the pages of cases, fleet incidents and platform tickets: states,
 * who did something, audit lines. People read these, not event or state names.
 */

/** @typedef {import('../api.js').AuditLine} AuditLine */
/** @typedef {import('../dom.js').Child} Child */

/** A state as words: `in-progress` → "in progress". @param {string | null} state */
export function stateWords(state) {
  return state === null ? '—' : state.replaceAll('-', ' ');
}

/** Actors that are not people: the names the backend writes for them. @type {Record<string, string>} */
const MACHINE_ACTORS = { diagnostics: 'Diagnostics (automatic)', system: 'The system', scheduler: 'The scheduler', pms: 'The PMS' };

/** Who did something, in words. @param {string} actor */
export function actorWords(actor) {
  return MACHINE_ACTORS[actor] ?? actor;
}

/** A ticket an audit line points at, as a link. @param {unknown} id */
function ticketLink(id) {
  return typeof id === 'number' ? h('a', { href: `#/tickets/${id}` }, `RMA ticket #${id}`) : null;
}

/**
 * One audit line as a sentence: "li.wei (engineer) moved it from open to in progress", the
 * reason as the person wrote it (text), and what it points at.
 * @param {AuditLine} line
 */
function auditItem(line) {
  const role = typeof line.data?.role === 'string' ? ` (${line.data.role})` : '';
  const who = `${actorWords(line.actor)}${role}`;
  /** @type {string} */
  let what;
  if (line.action === 'opened') what = `${who} opened it`;
  else if (line.action === 'transition') what = `${who} moved it from ${stateWords(line.from)} to ${stateWords(line.to)}`;
  else what = `${who}: ${stateWords(line.action)}${line.to ? ` (now ${stateWords(line.to)})` : ''}`;
  const ticket = ticketLink(line.data?.ticketId);
  return h(
    'li',
    { class: 'audit-line' },
    h('time', { class: 'muted' }, when(line.at)),
    h('div', {}, h('span', { class: 'audit-what' }, what), ticket ? [' · ', ticket] : null),
    line.reason ? h('div', { class: 'audit-reason' }, line.reason) : null,
  );
}

/**
 * The audit trail, oldest first, each line in words.
 * @param {readonly AuditLine[]} lines
 */
export function auditTrail(lines) {
  if (lines.length === 0) return h('p', { class: 'empty' }, 'Nothing recorded yet.');
  const oldestFirst = [...lines].sort((a, b) => a.at - b.at || a.id - b.id);
  return h('ol', { class: 'audit-trail' }, oldestFirst.map(auditItem));
}

/**
 * A definition list of label → value pairs; values are text or nodes, never markup.
 * @param {[string, Child | Child[]][]} pairs
 */
export function factList(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value === null || value === undefined || value === '' ? '—' : value)]),
  );
}

/**
 * A card with a heading the page's tests and screen readers can find by its id.
 * @param {string} id
 * @param {string} title
 * @param {Child | Child[]} content
 * @param {Child} [tools]
 */
export function card(id, title, content, tools) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': `${id}-title`, id },
    h('h2', { id: `${id}-title` }, title, tools ? h('span', { class: 'card-tools' }, tools) : null),
    h('div', { class: 'card-body' }, content),
  );
}
