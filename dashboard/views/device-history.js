import { apiPage } from '../api.js';
import { badge, data, h, when } from '../dom.js';
import { t } from '../i18n.js';
import { EVIDENCE_WORDS, stateWords, triageWords, withData, wordsOf } from '../live-words.js';
import { pagedList, section } from '../ui.js';

/** @typedef {import('../api.js').EventList['events'][number]} EvidenceEvent */
/** @typedef {import('../api.js').DecisionView} Decision */
/** @typedef {import('../api.js').CommandView} Command */

const PAGE = 50;

/** What the box wrote, shown as text in a block the reader opens. @param {string} label @param {unknown} value */
function jsonBlock(label, value) {
  if (value === undefined || value === null) return null;
  return h('details', {}, h('summary', {}, label), h('pre', { class: 'json', translate: 'no' }, JSON.stringify(value, null, 2)));
}

/** @type {Record<string, { page: string, words: import('../i18n.js').MessageKey }>} */
const TARGETS = {
  case: { page: 'cases', words: 'fleet.target.case' },
  rma: { page: 'tickets', words: 'fleet.target.ticket' },
  ticket: { page: 'tickets', words: 'fleet.target.ticket' },
  incident: { page: 'incidents', words: 'fleet.target.incident' },
};

/**
 * A decision's reason, marked with its language: the server answers in the page's, but a decision
 * made before its reasons were kept as values keeps the English it was written in.
 * @param {string} text
 */
function languageOf(text) {
  return /\p{Script=Han}/u.test(text) ? 'zh-CN' : 'en';
}

/** @param {Decision['target']} target */
function targetLink(target) {
  if (!target) return null;
  const known = Object.hasOwn(TARGETS, target.kind) ? TARGETS[target.kind] : undefined;
  if (!known) return data(`${target.kind} ${target.id}`);
  return h('a', { href: `#/${known.page}/${target.id}` }, t(known.words, { id: target.id }));
}

/**
 * Evidence the box recorded (tamper, surge, water…), newest first: it may exclude the warranty.
 * @param {string} serial
 */
export function eventHistory(serial) {
  const card = section(t('fleet.history.evidence'));
  const list = pagedList({
    empty: t('fleet.history.noEvidence'),
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
            h(
              'div',
              { class: 'fault-head' },
              badge(wordsOf(EVIDENCE_WORDS, e.type) ?? stateWords(e.type), 'warn'),
              h('span', { class: 'muted' }, when(e.ts)),
            ),
            jsonBlock(t('fleet.history.recorded'), e.details),
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
  const card = section(t('fleet.history.decisions'));
  /** @type {Map<string, string>} */
  let names = new Map();
  const list = pagedList({
    empty: t('fleet.history.noDecisions'),
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
              h('span', {}, triageWords(d.action)),
              targetLink(d.target),
            ),
            h('p', { class: 'decision-reason', lang: languageOf(d.reason) }, d.reason),
            h(
              'div',
              { class: 'muted' },
              withData('fleet.history.rule', { time: when(d.decidedAt) }, { rule: d.ruleId, rules: d.rulesVersion, catalog: d.catalogVersion }),
            ),
            jsonBlock(t('fleet.history.facts'), d.facts),
          ),
        ),
      ),
  });
  card.show(list.el);
  return { el: card.el, reset: list.reset };
}

/** @type {Record<string, import('../i18n.js').MessageKey>} */
const STATUS_WORDS = {
  succeeded: 'fleet.command.succeeded',
  failed: 'fleet.command.failed',
  'timed-out': 'fleet.command.timed-out',
  offline: 'fleet.command.offline',
  queued: 'fleet.command.queued',
  sent: 'fleet.command.sent',
};
/** @type {Record<string, string>} */
const STATUS_TONE = { succeeded: 'ok', failed: 'bad', 'timed-out': 'warn', offline: 'warn', queued: 'info', sent: 'info' };

/**
 * Commands sent to the box, newest first: who sent what, and the outcome.
 * @param {string} serial
 */
export function commandHistory(serial) {
  const card = section(t('fleet.history.commands'));
  const list = pagedList({
    empty: t('fleet.history.noCommands'),
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
              h('strong', { class: 'mono', translate: 'no' }, c.name),
              badge(wordsOf(STATUS_WORDS, c.status) ?? stateWords(c.status), STATUS_TONE[c.status] ?? ''),
              h('span', { class: 'muted' }, withData('fleet.history.requestedBy', { time: when(c.requestedAt) }, { by: c.requestedBy })),
              c.sessionId === null ? null : h('a', { href: `#/sessions/${c.sessionId}` }, t('fleet.history.session', { id: c.sessionId })),
            ),
            // What the box or the broker answered, as written (technical, not translated).
            c.error ? h('p', { class: 'error inline', translate: 'no' }, `${c.error.code}: ${c.error.message}`) : null,
            Object.keys(c.args).length > 0 ? jsonBlock(t('fleet.history.arguments'), c.args) : null,
            jsonBlock(t('fleet.history.result'), c.result),
          ),
        ),
      ),
  });
  card.show(list.el);
  return { el: card.el, reset: list.reset };
}
