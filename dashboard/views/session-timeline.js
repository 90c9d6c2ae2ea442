import { h } from '../dom.js';
import { describeCommand, describeResult } from './command-words.js';

/*
 * The shared timeline of a remote-guidance session: each entry in plain language with who
 * wrote or did it. Everything people or the box wrote is text (dom.js h), never markup; a
 * command's raw result is shown formatted in a collapsed <details>.
 */

/** @typedef {import('../../services/remote-support/sessions/domain/timeline-entry.ts').TimelineEntry} TimelineEntry */
/** @typedef {import('../api.js').SessionDetail['participants'][number]} Participant */
/** @typedef {import('../api.js').CatalogView['entries'][number]} CatalogEntry */
/** @typedef {import('../../services/contract/payloads.ts').CommandName} CommandName */

const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** What kind of entry it is, as a short label beside the author. @type {Record<TimelineEntry['kind'], string>} */
const KIND_LABELS = {
  note: 'note',
  chat: 'chat',
  command: 'command',
  'command-result': 'result',
  'telemetry-snapshot': 'readings',
  fault: 'fault',
  event: 'evidence',
  'participant-joined': 'joined',
  'participant-left': 'left',
  system: 'session',
  'tunnel-opened': 'tunnel',
  'tunnel-closed': 'tunnel',
};

/** @param {TimelineEntry['author']} author */
function authorName(author) {
  switch (author.kind) {
    case 'user':
      return `${author.username} (${author.role})`;
    case 'customer':
      return author.label ? `${author.label} (customer)` : 'Customer';
    case 'box':
      return `Box ${author.serial}`;
    default:
      return 'MT-BOX Care';
  }
}

/** @param {Participant} p */
function participantName(p) {
  if (p.kind === 'customer') return p.label ? `${p.label} (customer)` : 'The customer';
  return `${p.username ?? 'someone'} (${p.role ?? 'account'})`;
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
  return list.length > 0 ? list.join(', ') : 'none reported yet';
}

/**
 * A session's timeline, newest at the bottom.
 * @param {{ catalog: () => Map<string, CatalogEntry> }} options the fault catalog by code, once loaded
 */
export function createTimeline({ catalog }) {
  const list = h('ol', { class: 'timeline', id: 'session-timeline', 'aria-label': 'Timeline' });
  const empty = h('p', { class: 'empty' }, 'Nothing on the timeline yet.');
  const el = h('div', { class: 'timeline-wrap' }, empty, list);
  /** @type {Map<number, string>} */
  const names = new Map();
  /** The command of each `command` entry, to name what a result answers. @type {Map<number, CommandName>} */
  const commands = new Map();
  let lastSeq = 0;

  /** @param {number} id */
  const who = (id) => names.get(id) ?? 'Someone';

  /** The entry's words and anything shown below them. @param {TimelineEntry} e @returns {import('../dom.js').Child[]} */
  function body(e) {
    switch (e.kind) {
      case 'note':
      case 'chat':
        return [h('p', { class: 'entry-text' }, e.data.text)];
      case 'command':
        commands.set(e.seq, e.data.name);
        return [h('p', { class: 'entry-text' }, `${describeCommand(e.data.name, e.data.args)}.`)];
      case 'command-result': {
        const raw = e.data.result !== undefined ? e.data.result : e.data.error;
        return [
          h('p', { class: 'entry-text' }, describeResult(commands.get(e.data.commandSeq), e.data)),
          raw === undefined || raw === null
            ? null
            : h('details', { class: 'entry-raw' }, h('summary', {}, 'What the box answered'), h('pre', {}, JSON.stringify(raw, null, 2))),
        ];
      }
      case 'telemetry-snapshot':
        return [h('p', { class: 'entry-text' }, `Readings when the session started: ${readings(e.data.metrics)}.`)];
      case 'fault': {
        const title = catalog().get(e.data.code)?.title ?? 'A fault not in the catalog';
        const state = e.data.state === 'cleared' ? 'cleared' : 'raised';
        return [
          h('p', { class: 'entry-text' }, `${title} — ${state} (${e.data.code}, ${e.data.severity}).`),
          e.data.message ? h('p', { class: 'entry-quote' }, e.data.message) : null,
        ];
      }
      case 'event':
        return [h('p', { class: 'entry-text' }, `Evidence recorded: ${e.data.type}${detailText(e.data.details)}.`)];
      case 'participant-joined':
      case 'participant-left': {
        // The entry's author is the participant (also when the room's snapshot naming them has not come yet).
        const name = e.author.kind === 'system' ? who(e.data.participantId) : authorName(e.author);
        return [h('p', { class: 'entry-text' }, `${name} ${e.kind === 'participant-joined' ? 'joined' : 'left'}.`)];
      }
      case 'tunnel-opened':
      case 'tunnel-closed':
        return [h('p', { class: 'entry-text' }, e.data.text)];
      default:
        return [
          h('p', { class: 'entry-text' }, e.data.text),
          e.data.ticketId
            ? h('p', {}, 'RMA ticket: ', h('a', { href: `#/tickets/${e.data.ticketId}`, class: 'ticket-link' }, `#${e.data.ticketId}`))
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
            h('span', { class: 'badge' }, KIND_LABELS[e.kind]),
            h('time', { class: 'muted' }, time.format(new Date(e.at))),
          ),
          body(e),
        ),
      );
      // The list scrolls in its own box (styles.css), so the newest entry stays in view without moving the page.
      list.scrollTop = list.scrollHeight;
    },
  };
}
