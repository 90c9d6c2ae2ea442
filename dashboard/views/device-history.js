import { apiPage } from '../api.js';
import { badge, h, when } from '../dom.js';
import { TRIAGE_WORDS, stateWords } from '../live-words.js';
import { pagedList, section } from '../ui.js';

/** @typedef {import('../api.js').EventList['events'][number]} EvidenceEvent */
/** @typedef {import('../api.js').DecisionView} Decision */
/** @typedef {import('../api.js').CommandView} Command */

const PAGE = 50;

/** What the box wrote, shown as text in a block the reader opens. @param {string} label @param {unknown} value */
function jsonBlock(label, value) {
  if (value === undefined || value === null) return null;
  return h('details', {}, h('summary', {}, label), h('pre', { class: 'json' }, JSON.stringify(value, null, 2)));
}

/** @param {Decision['target']} target */
function targetLink(target) {
  if (!target) return null;
  const page = { case: 'cases', rma: 'tickets', ticket: 'tickets', incident: 'incidents' }[target.kind];
  const label = { case: 'case', rma: 'ticket', ticket: 'ticket', incident: 'fleet incident' }[target.kind] ?? target.kind;
  return page ? h('a', { href: `#/${page}/${target.id}` }, `${label} ${target.id}`) : `${label} ${target.id}`;
}

/**
 * Evidence the box recorded (tamper, surge, water…), newest first: it may exclude the warranty.
 * @param {string} serial
 */
export function eventHistory(serial) {
  const card = section('Evidence events');
  const list = pagedList({
    empty: 'This box has recorded no evidence events.',
    async fetchPage(cursor) {
      const { data, next } = await apiPage(`/devices/${encodeURIComponent(serial)}/events?limit=${PAGE}`, cursor);
      return { items: /** @type {import('../api.js').EventList} */ (data).events, next };
    },
    render: (/** @type {EvidenceEvent[]} */ events) =>
      h(
        'ol',
        { class: 'history' },
        events.map((e) =>
          h(
            'li',
            { 'data-event-id': e.id },
            h('div', { class: 'fault-head' }, badge(stateWords(e.type), 'warn'), h('span', { class: 'muted' }, when(e.ts))),
            jsonBlock('What the box recorded', e.details),
          ),
        ),
      ),
  });
  card.show(list.el);
  return { el: card.el, reset: list.reset };
}

/**
 * What diagnostics decided about each fault and event, and why: the rule, its reason and what
 * it opened.
 * @param {string} serial
 * @param {() => Promise<Map<string, string>>} titles catalog titles by code
 */
export function decisionHistory(serial, titles) {
  const card = section('Diagnostics decisions');
  /** @type {Map<string, string>} */
  let names = new Map();
  const list = pagedList({
    empty: 'No decisions yet: this box has reported no faults or evidence.',
    async fetchPage(cursor) {
      names = await titles().catch(() => names);
      const { data, next } = await apiPage(`/devices/${encodeURIComponent(serial)}/decisions?limit=${PAGE}`, cursor);
      return { items: /** @type {Decision[]} */ (data), next };
    },
    render: (/** @type {Decision[]} */ decisions) =>
      h(
        'ol',
        { class: 'history' },
        decisions.map((d) =>
          h(
            'li',
            { 'data-decision-id': d.id },
            h(
              'div',
              { class: 'fault-head' },
              h('strong', {}, names.get(d.code) ?? d.code),
              h('span', {}, TRIAGE_WORDS[/** @type {keyof typeof TRIAGE_WORDS} */ (d.action)] ?? d.action),
              targetLink(d.target),
            ),
            h('p', { class: 'decision-reason' }, d.reason),
            h('div', { class: 'muted' }, `${when(d.decidedAt)} · rule ${d.ruleId} (rules ${d.rulesVersion}, catalog ${d.catalogVersion})`),
            jsonBlock('Facts the rule decided from', d.facts),
          ),
        ),
      ),
  });
  card.show(list.el);
  return { el: card.el, reset: list.reset };
}

/** @type {Record<string, string>} */
const STATUS_TONE = { succeeded: 'ok', failed: 'bad', 'timed-out': 'warn', offline: 'warn', queued: 'info', sent: 'info' };

/**
 * Commands sent to the box, newest first: who sent what, and the outcome.
 * @param {string} serial
 */
export function commandHistory(serial) {
  const card = section('Commands');
  const list = pagedList({
    empty: 'No commands were sent to this box.',
    async fetchPage(cursor) {
      const { data, next } = await apiPage(`/devices/${encodeURIComponent(serial)}/commands?limit=${PAGE}`, cursor);
      return { items: /** @type {Command[]} */ (data), next };
    },
    render: (/** @type {Command[]} */ commands) =>
      h(
        'ol',
        { class: 'history' },
        commands.map((c) =>
          h(
            'li',
            { 'data-command-id': c.id },
            h(
              'div',
              { class: 'fault-head' },
              h('strong', { class: 'mono' }, c.name),
              badge(stateWords(c.status), STATUS_TONE[c.status] ?? ''),
              h('span', { class: 'muted' }, `${when(c.requestedAt)} by ${c.requestedBy}`),
              c.sessionId === null ? null : h('a', { href: `#/sessions/${c.sessionId}` }, `session ${c.sessionId}`),
            ),
            c.error ? h('p', { class: 'error inline' }, `${c.error.code}: ${c.error.message}`) : null,
            Object.keys(c.args).length > 0 ? jsonBlock('Arguments', c.args) : null,
            jsonBlock('Result', c.result),
          ),
        ),
      ),
  });
  card.show(list.el);
  return { el: card.el, reset: list.reset };
}
