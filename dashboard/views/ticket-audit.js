import { h, when } from '../dom.js';
import { words } from './rma-words.js';

/** @typedef {import('../api.js').TicketView} TicketView */
/** @typedef {TicketView['audit'][number]} AuditLine */

/** @param {AuditLine} a */
function who(a) {
  if (a.actor === 'system') return 'The deadline rules';
  if (a.actor === 'diagnostics') return 'Diagnostics';
  const role = typeof a.data?.role === 'string' && a.data.role !== 'system' ? ` (${a.data.role})` : '';
  return `${a.actor}${role}`;
}

/** @param {string | null} state */
const stateWords = (state) => (state ? words(state) : '—');

/**
 * One audit line as a sentence, in the ticket's own words: who did what, and why.
 * @param {AuditLine} a
 * @param {(id: string) => string} exclusionTitle
 */
export function auditSentence(a, exclusionTitle) {
  const why = a.reason ? `: ${a.reason}` : '';
  if (a.action === 'opened') return `${who(a)} opened the ticket${a.reason === 'ticket opened' ? '' : why}`;
  if (a.action === 'transition') return `${who(a)} moved it from ${stateWords(a.from)} to ${stateWords(a.to)}${why}`;
  if (a.action === 'standby') return `${who(a)} changed the standby unit from ${stateWords(a.from)} to ${stateWords(a.to)}${why}`;
  if (a.action.startsWith('exclusion-')) {
    const exclusion = typeof a.data?.exclusion === 'string' ? exclusionTitle(a.data.exclusion) : 'an exclusion';
    return `${who(a)} ${a.action.slice('exclusion-'.length)} the exclusion “${exclusion}”${why}`;
  }
  return `${who(a)}, ${words(a.action).toLowerCase()}${why}`;
}

/**
 * The full audit trail, newest last, as sentences with their time.
 * @param {TicketView} view
 */
export function auditTrail(view) {
  if (view.audit.length === 0) return h('p', { class: 'empty' }, 'Nothing recorded yet.');
  /** @param {string} id */
  const title = (id) => view.actions.exclusions.clauses.find((c) => c.id === id)?.title ?? words(id);
  return h(
    'ol',
    { class: 'rma-audit', id: 'ticket-audit' },
    view.audit.map((a) =>
      h('li', { class: 'rma-audit-line' }, h('time', { class: 'muted rma-audit-time' }, when(a.at)), h('span', {}, auditSentence(a, title))),
    ),
  );
}
