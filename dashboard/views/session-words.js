import { badge, data, h, tNodes } from '../dom.js';
import { currentLocale, formatDeadline, formatNumber, t } from '../i18n.js';
import { roleWords } from '../words.js';

/*
 * Words shared by the session pages (list, console, customer link page): a message with data
 * inside it, a session's state, the roles and outcomes. Imports only i18n.js and dom.js, so
 * customer.html, which has no workbench around it, can use it too.
 */

/** @typedef {import('../i18n.js').MessageKey} MessageKey */
/** @typedef {Omit<import('../api.js').SessionDetail, 'timeline' | 'commands' | 'nextAfterSeq'>} SessionSnapshot */
/** @typedef {import('../../services/kernel/roles.ts').Role} Role */
/** @typedef {NonNullable<SessionSnapshot['outcome']>} Outcome */
/** @typedef {import('../../services/remote-support/sessions/domain/timeline-entry.ts').TimelineEntry} TimelineEntry */

/** @type {Record<SessionSnapshot['state'], MessageKey>} */
const STATE_WORDS = { queued: 'sessions.state.queued', active: 'sessions.state.active', ended: 'sessions.state.ended' };
/** @type {Record<Outcome, MessageKey>} */
const OUTCOME_WORDS = {
  'resolved-remotely': 'sessions.outcome.resolved-remotely',
  escalated: 'sessions.outcome.escalated',
  abandoned: 'sessions.outcome.abandoned',
};
/** @type {Record<SessionSnapshot['state'], string>} */
const STATE_TONE = { queued: 'warn', active: 'ok', ended: '' };

/** @param {string} outcome */
export function outcomeWords(outcome) {
  const key = OUTCOME_WORDS[/** @type {Outcome} */ (outcome)];
  return key ? t(key) : outcome;
}

/** A session's state in words: `active`, `ended: resolved remotely`. @param {Pick<SessionSnapshot, 'state' | 'outcome'>} s */
export function stateWords(s) {
  return s.state === 'ended' && s.outcome ? t('sessions.state.endedWith', { outcome: outcomeWords(s.outcome) }) : t(STATE_WORDS[s.state]);
}

/** @param {Pick<SessionSnapshot, 'state' | 'outcome'>} s */
export function stateBadge(s) {
  return badge(stateWords(s), STATE_TONE[s.state]);
}

/** `li.wei (engineer)`: the name as data, the role in words. @param {string} username @param {string | null | undefined} role */
export function userName(username, role) {
  return tNodes('sessions.person.user', { username: data(username), role: roleWords(role) });
}

/** `site electrician (customer)`, or `Customer` when the link has no label. @param {string | null | undefined} label */
export function customerName(label) {
  return label ? tNodes('sessions.person.customer', { label: data(label) }) : [t('sessions.person.aCustomer')];
}

/** tunnel.ts CLOSE_REASONS in words. @type {Record<string, MessageKey>} */
const CLOSE_REASONS = {
  'closed-by-user': 'sessions.closeReason.closed-by-user',
  'client-closed': 'sessions.closeReason.client-closed',
  'box-offline': 'sessions.closeReason.box-offline',
  idle: 'sessions.closeReason.idle',
  'max-duration': 'sessions.closeReason.max-duration',
  sequence: 'sessions.closeReason.sequence',
  'bad-frame': 'sessions.closeReason.bad-frame',
  'window-exceeded': 'sessions.closeReason.window-exceeded',
  'session-ended': 'sessions.closeReason.session-ended',
  'backend-stopping': 'sessions.closeReason.backend-stopping',
  'backend-restarted': 'sessions.closeReason.backend-restarted',
};

/**
 * Why a tunnel closed, in words; `box-closed: <reason>` keeps the box's own words as data.
 * @param {string} reason
 * @returns {(string | Node)[]}
 */
export function closeReasonWords(reason) {
  const key = CLOSE_REASONS[reason];
  if (key) return [t(key)];
  const box = /^box-closed: (.*)$/s.exec(reason);
  return box ? tNodes('sessions.closeReason.box-closed', { reason: data(box[1] ?? '') }) : [data(reason)];
}

/** How long a tunnel was open: `42 s`, `3 min`, `1 h 5 min`. @param {number} ms */
export function duration(ms) {
  const s = Math.round(ms / 1000);
  if (s < 60) return t('sessions.duration.seconds', { seconds: s });
  if (s < 3600) return t('sessions.duration.minutes', { minutes: Math.round(s / 60) });
  return t('sessions.duration.hours', { hours: Math.floor(s / 3600), minutes: Math.floor((s % 3600) / 60) });
}

/** 1,234 B / 12.3 KB / 4.5 MB, with the language's separators; KB and MB are symbols in both languages. @param {number} n */
export function bytes(n) {
  const one = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
  if (n < 1000) return t('sessions.bytes.b', { n: formatNumber(n) });
  if (n < 1_000_000) return `${formatNumber(n / 1000, one)} KB`;
  return `${formatNumber(n / 1_000_000, one)} MB`;
}

// session-lifecycle.ts records a link's label and expiry only in its sentence.
const LINK_CREATED = / created a customer link(?: for (.*))?, to be opened before (\S+)$/s;

/**
 * A system or tunnel entry's sentence, from its facts. The backend records each in English
 * (data.text); the English page shows an opening and the tunnels as recorded (their facts are
 * codes, names and addresses), and says the others itself, since they carry a reason or a label
 * a person typed in any language, and a moment to show in the page's zone.
 * @param {Extract<TimelineEntry, { kind: 'system' | 'tunnel-opened' | 'tunnel-closed' }>} e
 * @param {Node} author the entry's author as the page names them, when it is no account
 * @param {string | null} reason the session's ending reason, once it ended
 * @returns {(string | Node)[]}
 */
export function systemSentence(e, author, reason) {
  const english = currentLocale() === 'en';
  const who = e.author.kind === 'user' ? data(e.author.username) : author;
  if (e.kind === 'tunnel-opened') {
    if (english) return [e.data.text];
    return tNodes('sessions.system.tunnelOpened', { endpoint: data(`${e.data.host}:${e.data.port}`), who });
  }
  if (e.kind === 'tunnel-closed') {
    if (english) return [e.data.text];
    return tNodes('sessions.system.tunnelClosed', {
      endpoint: data(`${e.data.host}:${e.data.port}`),
      reason: h('span', {}, closeReasonWords(e.data.reason)),
      duration: duration(e.data.durationMs),
      down: bytes(e.data.bytesDown),
      up: bytes(e.data.bytesUp),
    });
  }
  switch (e.data.action) {
    case 'opened':
      return english ? [e.data.text] : tNodes('sessions.system.opened', { who });
    case 'started':
      return tNodes('sessions.system.started', { who });
    case 'link-created': {
      const link = LINK_CREATED.exec(e.data.text);
      const expiresAt = link ? Date.parse(link[2] ?? '') : Number.NaN;
      if (!link || Number.isNaN(expiresAt)) return english ? [e.data.text] : tNodes('sessions.system.linkCreatedPlain', { who });
      const expires = formatDeadline(expiresAt);
      return link[1]
        ? tNodes('sessions.system.linkCreatedFor', { who, label: data(link[1]), expires })
        : tNodes('sessions.system.linkCreated', { who, expires });
    }
    default: {
      const outcome = outcomeWords(e.data.outcome ?? '');
      return reason
        ? tNodes('sessions.system.endedReason', { who, outcome, reason: data(reason) })
        : tNodes('sessions.system.ended', { who, outcome });
    }
  }
}
