import { data, h, tNodes } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { describeCommand, describeResult } from './command-words.js';
import { customerName, systemSentence, userName } from './session-words.js';
import { roleWords, severityWords } from '../words.js';

/*
 * The shared timeline of a remote-guidance session: each entry in plain language with who
 * wrote or did it. Everything people or the box wrote is text (dom.js h), never markup; a
 * command's raw result is shown formatted in a collapsed <details>.
 */

/** @typedef {import('../../services/remote-support/sessions/domain/timeline-entry.ts').TimelineEntry} TimelineEntry */
/** @typedef {import('../api.js').SessionDetail['participants'][number]} Participant */
/** @typedef {import('../api.js').CatalogView['entries'][number]} CatalogEntry */
/** @typedef {import('../../services/contract/payloads.ts').CommandName} CommandName */
/** @typedef {import('../../services/contract/payloads.ts').Severity} Severity */
/** @typedef {import('../i18n.js').MessageKey} MessageKey */
/** @typedef {Omit<import('../api.js').SessionDetail, 'timeline' | 'commands' | 'nextAfterSeq'>} SessionSnapshot */

/** What kind of entry it is, as a short label beside the author. @type {Record<TimelineEntry['kind'], MessageKey>} */
const KIND_LABELS = {
  note: 'sessions.kind.note',
  chat: 'sessions.kind.chat',
  command: 'sessions.kind.command',
  'command-result': 'sessions.kind.command-result',
  'telemetry-snapshot': 'sessions.kind.telemetry-snapshot',
  fault: 'sessions.kind.fault',
  event: 'sessions.kind.event',
  'participant-joined': 'sessions.kind.participant-joined',
  'participant-left': 'sessions.kind.participant-left',
  system: 'sessions.kind.system',
  'tunnel-opened': 'sessions.kind.tunnel',
  'tunnel-closed': 'sessions.kind.tunnel',
};

/** @param {TimelineEntry['author']} author @returns {(string | Node)[]} */
function authorName(author) {
  switch (author.kind) {
    case 'user':
      return userName(author.username, author.role);
    case 'customer':
      return customerName(author.label);
    case 'box':
      return tNodes('sessions.person.box', { serial: data(author.serial) });
    default:
      return [t('sessions.person.system')];
  }
}

/** @param {Participant} p @returns {(string | Node)[]} */
function participantName(p) {
  if (p.kind === 'customer') return p.label ? customerName(p.label) : [t('sessions.person.theCustomer')];
  return tNodes('sessions.person.user', {
    username: data(p.username ?? t('sessions.person.someoneLower')),
    role: p.role ? roleWords(p.role) : t('sessions.person.account'),
  });
}

/** @param {Record<string, unknown> | null} details */
function detailText(details) {
  if (!details) return '';
  const parts = Object.entries(details).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** @param {Record<string, number>} metrics */
function readings(metrics) {
  const list = Object.entries(metrics)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`);
  return list.length > 0 ? data(list.join(', ')) : t('sessions.timeline.noReadings');
}

/**
 * A session's timeline, newest at the bottom.
 * @param {{ catalog: () => Map<string, CatalogEntry>, session: () => SessionSnapshot | null }} options the fault catalog by code,
 *   once loaded, and the session as last shown (an ending's reason)
 */
export function createTimeline({ catalog, session }) {
  const list = h('ol', { class: 'timeline', id: 'session-timeline', 'aria-label': t('sessions.timeline.label') });
  const empty = h('p', { class: 'empty' }, t('sessions.timeline.empty'));
  const el = h('div', { class: 'timeline-wrap' }, empty, list);
  /** @type {Map<number, (string | Node)[]>} */
  const names = new Map();
  /** The command of each `command` entry, to name what a result answers. @type {Map<number, CommandName>} */
  const commands = new Map();
  let lastSeq = 0;

  /** @param {number} id */
  const who = (id) => names.get(id)?.map((n) => (typeof n === 'string' ? n : n.cloneNode(true))) ?? [t('sessions.person.someone')];
  /** A list of children as one node, to pass as a message argument. @param {(string | Node)[]} parts */
  const span = (parts) => h('span', {}, parts);

  /** The entry's words and anything shown below them. @param {TimelineEntry} e @returns {import('../dom.js').Child[]} */
  function body(e) {
    switch (e.kind) {
      case 'note':
      case 'chat':
        return [h('p', { class: 'entry-text', translate: 'no' }, e.data.text)];
      case 'command':
        commands.set(e.seq, e.data.name);
        return [h('p', { class: 'entry-text' }, `${describeCommand(e.data.name, e.data.args)}.`)];
      case 'command-result': {
        const raw = e.data.result !== undefined ? e.data.result : e.data.error;
        return [
          h('p', { class: 'entry-text' }, describeResult(commands.get(e.data.commandSeq), e.data)),
          raw === undefined || raw === null
            ? null
            : h(
                'details',
                { class: 'entry-raw' },
                h('summary', {}, t('sessions.timeline.boxAnswered')),
                h('pre', { translate: 'no' }, JSON.stringify(raw, null, 2)),
              ),
        ];
      }
      case 'telemetry-snapshot':
        return [h('p', { class: 'entry-text' }, tNodes('sessions.timeline.readings', { readings: span([readings(e.data.metrics)]) }))];
      case 'fault': {
        const title = catalog().get(e.data.code)?.title ?? t('sessions.timeline.unknownFault');
        const state = e.data.state === 'cleared' ? t('sessions.timeline.faultCleared') : t('sessions.timeline.faultRaised');
        return [
          h(
            'p',
            { class: 'entry-text' },
            tNodes('sessions.timeline.fault', { title, state, code: data(e.data.code), severity: severityWords(e.data.severity) }),
          ),
          e.data.message ? h('p', { class: 'entry-quote', translate: 'no' }, e.data.message) : null,
        ];
      }
      case 'event':
        return [
          h(
            'p',
            { class: 'entry-text' },
            tNodes('sessions.timeline.evidence', { type: data(e.data.type), details: data(detailText(e.data.details)) }),
          ),
        ];
      case 'participant-joined':
      case 'participant-left': {
        // The entry's author is the participant (also when the room's snapshot naming them has not come yet).
        const name = span(e.author.kind === 'system' ? who(e.data.participantId) : authorName(e.author));
        return [
          h('p', { class: 'entry-text' }, tNodes(e.kind === 'participant-joined' ? 'sessions.timeline.joined' : 'sessions.timeline.left', { name })),
        ];
      }
      case 'tunnel-opened':
      case 'tunnel-closed':
        return [h('p', { class: 'entry-text' }, systemSentence(e, span(authorName(e.author)), session()?.outcomeReason ?? null))];
      default:
        return [
          h('p', { class: 'entry-text' }, systemSentence(e, span(authorName(e.author)), session()?.outcomeReason ?? null)),
          e.data.ticketId
            ? h('p', {}, t('sessions.timeline.ticket'), h('a', { href: `#/tickets/${e.data.ticketId}`, class: 'ticket-link' }, `#${e.data.ticketId}`))
            : null,
        ];
    }
  }

  return {
    el,
    get lastSeq() {
      return lastSeq;
    },
    /** Who is who, for the joined/left entries. @param {Participant[]} participants */
    learn(participants) {
      for (const p of participants) names.set(p.id, participantName(p));
    },
    /** Appends one entry unless it is already shown (a rejoin may repeat nothing, but it is cheap to check). @param {TimelineEntry} e */
    show(e) {
      if (e.seq <= lastSeq) return;
      lastSeq = e.seq;
      empty.remove();
      const mine = e.kind === 'chat' || e.kind === 'note' ? ` kind-${e.kind}` : '';
      list.append(
        h(
          'li',
          { class: `entry${mine}`, 'data-kind': e.kind, 'data-seq': e.seq },
          h(
            'div',
            { class: 'entry-head' },
            h('strong', {}, authorName(e.author)),
            h('span', { class: 'badge' }, t(KIND_LABELS[e.kind])),
            h('time', { class: 'muted' }, formatTime(e.at)),
          ),
          body(e),
        ),
      );
      // The list scrolls in its own box (styles.css), so the newest entry stays in view without moving the page.
      list.scrollTop = list.scrollHeight;
    },
  };
}
