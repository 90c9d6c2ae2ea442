import { badge, h, when } from '../dom.js';
import { deviceHref } from './fleet.js';

/*
 * The session console's fact cards: the session and its box, who is in it, and the box's
 * latest telemetry, updated in place as it arrives.
 */

/** @typedef {Omit<import('../api.js').SessionDetail, 'timeline' | 'commands' | 'nextAfterSeq'>} SessionSnapshot */

/** @type {Record<SessionSnapshot['state'], string>} */
const STATE_TONE = { queued: 'warn', active: 'ok', ended: '' };
/** @type {Record<string, string>} */
const OUTCOME_WORDS = { 'resolved-remotely': 'resolved remotely', escalated: 'escalated to RMA', abandoned: 'abandoned' };

/** @param {Pick<SessionSnapshot, 'state' | 'outcome'>} s */
export function stateBadge(s) {
  return badge(s.state === 'ended' && s.outcome ? `ended: ${OUTCOME_WORDS[s.outcome] ?? s.outcome}` : s.state, STATE_TONE[s.state]);
}

/** @param {SessionSnapshot['participants'][number]} p */
function participant(p) {
  const name = p.kind === 'customer' ? `${p.label ?? 'Customer'} (customer)` : `${p.username ?? '—'} (${p.role ?? '—'})`;
  return h('li', { class: p.leftAt === null ? 'present' : 'left' }, name, h('span', { class: 'muted' }, p.leftAt === null ? ' · here' : ' · left'));
}

/**
 * The session, its box and its people.
 * @param {SessionSnapshot} s
 */
export function sessionFacts(s) {
  /** @type {[string, import('../dom.js').Child][]} */
  const pairs = [
    ['Box', h('a', { href: deviceHref(s.serial), class: 'mono', id: 'session-serial' }, s.serial)],
    ['State', h('span', { id: 'session-state' }, stateBadge(s))],
    ['Queue', s.queue],
    ['Requested', `${when(s.requestedAt)} by ${s.requestedBy}`],
    ['Started', s.startedAt === null ? '—' : `${when(s.startedAt)} by ${s.startedBy ?? '—'}`],
  ];
  if (s.caseId !== null) pairs.push(['Remote case', `#${s.caseId}`]);
  if (s.state === 'queued' && s.queuePosition !== null) {
    pairs.push(['In line', `number ${s.queuePosition}; support opens ${when(s.supportOpensAt)}`]);
  }
  if (s.endedAt !== null) pairs.push(['Ended', `${when(s.endedAt)} by ${s.endedBy ?? '—'}`], ['Reason', s.outcomeReason]);
  if (s.ticketId !== null) {
    pairs.push(['RMA ticket', h('a', { href: `#/tickets/${s.ticketId}`, id: 'session-ticket', class: 'ticket-link' }, `#${s.ticketId}`)]);
  }
  const people =
    s.participants.length === 0 ? h('span', { class: 'muted' }, 'nobody yet') : h('ul', { class: 'participants' }, s.participants.map(participant));
  pairs.push(['Participants', people]);
  return h(
    'dl',
    { class: 'facts' },
    pairs.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value ?? '—')]),
  );
}

const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** The box's latest values, one row per metric, patched in place as samples arrive. */
export function liveMetrics() {
  const list = h('dl', { class: 'facts live-metrics', id: 'session-metrics' });
  const stamp = h('p', { class: 'muted', id: 'session-metrics-time' }, 'Waiting for the box to report…');
  /** @type {Map<string, HTMLElement>} */
  const cells = new Map();
  return {
    el: h('div', {}, list, stamp),
    /** @param {Record<string, number>} metrics @param {number | null} ts */
    update(metrics, ts) {
      for (const [name, value] of Object.entries(metrics).sort(([a], [b]) => a.localeCompare(b))) {
        let cell = cells.get(name);
        if (!cell) {
          cell = h('dd', { 'data-metric': name });
          cells.set(name, cell);
          list.append(h('dt', {}, name), cell);
        }
        cell.textContent = String(value);
      }
      if (cells.size === 0) return;
      stamp.textContent = ts === null ? 'Latest values' : `Reported at ${time.format(new Date(ts))}`;
      if (ts !== null) stamp.dataset.ts = String(ts);
    },
  };
}
