import { data, h, tNodes, when } from '../dom.js';
import { formatDeadline, formatTime, t } from '../i18n.js';
import { deviceHref } from './fleet.js';
import { customerName, stateBadge, userName } from './session-words.js';
import { queueWords } from '../words.js';

/*
 * The session console's fact cards: the session and its box, who is in it, and the box's
 * latest telemetry, updated in place as it arrives.
 */

/** @typedef {Omit<import('../api.js').SessionDetail, 'timeline' | 'commands' | 'nextAfterSeq'>} SessionSnapshot */

/** @param {SessionSnapshot['participants'][number]} p */
function participant(p) {
  const name = p.kind === 'customer' ? customerName(p.label) : userName(p.username ?? '—', p.role);
  return h(
    'li',
    { class: p.leftAt === null ? 'present' : 'left' },
    name,
    h('span', { class: 'muted' }, p.leftAt === null ? t('sessions.facts.here') : t('sessions.facts.left')),
  );
}

/** `<time> by <who>`, the name as data. @param {number} at @param {string | null} who */
const atBy = (at, who) => tNodes('sessions.facts.atBy', { at: when(at), who: data(who ?? '—') });

/**
 * The session, its box and its people.
 * @param {SessionSnapshot} s
 */
export function sessionFacts(s) {
  /** @type {[string, import('../dom.js').Child | import('../dom.js').Child[]][]} */
  const pairs = [
    [t('sessions.facts.box'), h('a', { href: deviceHref(s.serial), class: 'mono', id: 'session-serial' }, s.serial)],
    [t('sessions.facts.state'), h('span', { id: 'session-state' }, stateBadge(s))],
    [t('sessions.facts.queue'), queueWords(s.queue)],
    [t('sessions.facts.requested'), atBy(s.requestedAt, s.requestedBy)],
    [t('sessions.facts.started'), s.startedAt === null ? '—' : atBy(s.startedAt, s.startedBy)],
  ];
  if (s.caseId !== null) pairs.push([t('sessions.facts.remoteCase'), `#${s.caseId}`]);
  if (s.state === 'queued' && s.queuePosition !== null) {
    pairs.push([t('sessions.facts.inLine'), t('sessions.facts.inLineValue', { position: s.queuePosition, opens: formatDeadline(s.supportOpensAt) })]);
  }
  if (s.endedAt !== null) {
    pairs.push(
      [t('sessions.facts.ended'), atBy(s.endedAt, s.endedBy)],
      [t('sessions.facts.reason'), s.outcomeReason === null ? null : data(s.outcomeReason)],
    );
  }
  if (s.ticketId !== null) {
    pairs.push([
      t('sessions.facts.ticket'),
      h('a', { href: `#/tickets/${s.ticketId}`, id: 'session-ticket', class: 'ticket-link' }, `#${s.ticketId}`),
    ]);
  }
  const people =
    s.participants.length === 0
      ? h('span', { class: 'muted' }, t('sessions.facts.nobody'))
      : h('ul', { class: 'participants' }, s.participants.map(participant));
  pairs.push([t('sessions.facts.participants'), people]);
  return h(
    'dl',
    { class: 'facts' },
    pairs.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value ?? '—')]),
  );
}

/** The box's latest values, one row per metric, patched in place as samples arrive. */
export function liveMetrics() {
  const list = h('dl', { class: 'facts live-metrics', id: 'session-metrics' });
  const stamp = h('p', { class: 'muted', id: 'session-metrics-time' }, t('sessions.metrics.waiting'));
  /** @type {Map<string, HTMLElement>} */
  const cells = new Map();
  return {
    el: h('div', {}, list, stamp),
    /** @param {Record<string, number>} metrics @param {number | null} ts */
    update(metrics, ts) {
      for (const [name, value] of Object.entries(metrics).sort(([a], [b]) => a.localeCompare(b))) {
        let cell = cells.get(name);
        if (!cell) {
          // Metric names are the box's own (docs/protocol.md), shown as it reports them.
          cell = h('dd', { 'data-metric': name, translate: 'no' });
          cells.set(name, cell);
          list.append(h('dt', {}, data(name)), cell);
        }
        cell.textContent = String(value);
      }
      if (cells.size === 0) return;
      stamp.textContent = ts === null ? t('sessions.metrics.latest') : t('sessions.metrics.reportedAt', { time: formatTime(ts) });
      if (ts !== null) stamp.dataset.ts = String(ts);
    },
  };
}
