// socket.io's own client bundle, served by the backend (serveClient) in its ES module build.
import { io } from '/socket.io/socket.io.esm.min.js';
import { h } from './dom.js';

/*
 * The page a customer opens from an engineer's link (docs/realtime.md, "Customer links"):
 * no account, only the link's token from the URL fragment. It shows the session's state, the
 * box's latest readings, the timeline and a chat box, and nothing else. Everything people or
 * the box wrote is shown as text (dom.js h / textContent), never as markup.
 */

/** @typedef {import('../services/remote-support/sessions/domain/timeline-entry.ts').TimelineEntry} TimelineEntry */
/** @typedef {import('../services/remote-support/sessions/domain/session-views.ts').SessionSnapshot} SessionSnapshot */
/** @typedef {import('../services/remote-support/realtime/session-contract.ts').SessionJoinAck} SessionJoinAck */
/** @typedef {import('../services/remote-support/realtime/session-contract.ts').SessionTextAck} SessionTextAck */
/**
 * The client events this page emits, with the acknowledgement the server answers.
 * @typedef {{
 *   'session.join': (request: { sessionId: number, afterSeq: number }, ack: (answer: SessionJoinAck) => void) => void,
 *   'session.chat': (request: { sessionId: number, text: string }, ack: (answer: SessionTextAck) => void) => void,
 * }} CustomerClientEvents
 */
/**
 * @typedef {import('/socket.io/socket.io.esm.min.js').Socket<
 *   import('../services/remote-support/realtime/socket-contract.ts').ServerToClientEvents, CustomerClientEvents>} CustomerSocket
 */

const ACK_TIMEOUT_MS = 10_000;
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

const REFUSED =
  'This link cannot be opened here. It is already open in another browser, it has expired, or the session has ended. ' +
  'If you opened it on another phone or computer, continue there; otherwise ask your engineer for a new link.';
const ENDED = 'The engineer has ended this session. Thank you — you can close this page.';
const INCOMPLETE = 'This link is incomplete. Please open the whole link your engineer sent you.';

/** @param {string} id */
function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`customer.html lacks #${id}`);
  return el;
}

const ui = {
  connection: byId('connection'),
  notice: byId('notice'),
  serial: byId('serial'),
  state: byId('session-state'),
  readings: byId('readings'),
  timeline: byId('timeline'),
  form: /** @type {HTMLFormElement} */ (byId('chat')),
  text: /** @type {HTMLTextAreaElement} */ (byId('chat-text')),
  chatError: byId('chat-error'),
};

/** @param {string} text @param {string} tone */
function setConnection(text, tone) {
  ui.connection.textContent = text;
  ui.connection.className = `badge ${tone}`;
}

/** Shows a message in words (role=alert); `info` for news that is not a failure. @param {string} text @param {boolean} [info] */
function notify(text, info = false) {
  ui.notice.textContent = text;
  ui.notice.className = info ? 'notice info' : 'notice';
  ui.notice.hidden = false;
}

/** @param {boolean} enabled */
function setChat(enabled) {
  ui.text.disabled = !enabled;
  const button = ui.form.querySelector('button');
  if (button) button.disabled = !enabled;
}

const STATE_WORDS = { queued: 'waiting for an engineer', active: 'in progress', ended: 'ended' };

/** @param {SessionSnapshot} session */
function showSession(session) {
  ui.serial.textContent = session.serial;
  const place = session.state === 'queued' && session.queuePosition ? ` (number ${session.queuePosition} in line)` : '';
  ui.state.textContent = `${STATE_WORDS[session.state]}${place}`;
  if (session.state === 'ended') {
    setChat(false);
    notify(ENDED, true);
  }
}

/** The box's latest values, one row per metric. @param {Record<string, number>} metrics @param {number | null} ts */
function showReadings(metrics, ts) {
  const rows = Object.entries(metrics)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, String(value))]);
  if (rows.length === 0) return;
  ui.readings.replaceChildren(...rows, h('dt', {}, 'Updated'), h('dd', {}, ts === null ? '—' : time.format(new Date(ts))));
}

/**
 * Reads the link from the fragment: `#link=<token>&session=<id>` (the fragment never reaches the server).
 * @returns {{ token: string, sessionId: number } | null}
 */
function linkFromUrl() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('link');
  const sessionId = Number(params.get('session'));
  return token && Number.isInteger(sessionId) && sessionId > 0 ? { token, sessionId } : null;
}

/** The page's view of the session: who is who, and what it already shows. */
function createTimeline() {
  let lastSeq = 0;
  /** @type {number | null} */
  let me = null;
  /** @type {Map<number, string>} */
  const names = new Map();

  /** @param {TimelineEntry['author']} author */
  function authorName(author) {
    switch (author.kind) {
      case 'user':
        return `${author.username} (${author.role})`;
      case 'customer':
        return author.participantId === me ? 'You' : (author.label ?? 'Customer');
      case 'box':
        return `Box ${author.serial}`;
      default:
        return 'MT-BOX Care';
    }
  }

  /** @param {number} id */
  const who = (id) => (id === me ? 'You' : (names.get(id) ?? 'Someone'));

  /** What the entry says, as plain text. @param {TimelineEntry} e */
  function describe(e) {
    switch (e.kind) {
      case 'chat':
      case 'note':
        return e.data.text;
      case 'command':
        return `Sent the command ${e.data.name} to the box`;
      case 'command-result':
        return `The box's answer: ${e.data.status}`;
      case 'telemetry-snapshot':
        return `Readings: ${Object.entries(e.data.metrics)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`;
      case 'fault':
        return `Fault ${e.data.code} (${e.data.severity}) ${e.data.state}${e.data.message ? `: ${e.data.message}` : ''}`;
      case 'event':
        return `Event: ${e.data.type}`;
      case 'participant-joined':
        return `${who(e.data.participantId)} joined`;
      case 'participant-left':
        return `${who(e.data.participantId)} left`;
      default:
        return e.data.text;
    }
  }

  return {
    /** @param {number | null} participantId */
    setMe(participantId) {
      me = participantId;
    },
    /** @param {SessionSnapshot} session */
    learnNames(session) {
      for (const p of session.participants) names.set(p.id, p.kind === 'customer' ? (p.label ?? 'Customer') : `${p.username} (${p.role})`);
    },
    get lastSeq() {
      return lastSeq;
    },
    /** Appends one entry unless it is already shown. @param {TimelineEntry} e */
    show(e) {
      if (e.seq <= lastSeq) return;
      lastSeq = e.seq;
      if (e.kind === 'telemetry-snapshot') showReadings(e.data.metrics, e.data.ts);
      const mine = e.author.kind === 'customer' && e.author.participantId === me;
      ui.timeline.append(
        h(
          'li',
          { class: `kind-${e.kind}${mine ? ' mine' : ''}`, 'data-seq': e.seq },
          h('div', { class: 'entry-head' }, h('strong', {}, authorName(e.author)), h('time', {}, time.format(new Date(e.at)))),
          describe(e),
        ),
      );
      ui.timeline.scrollTop = ui.timeline.scrollHeight;
    },
  };
}

/**
 * Joins the link's session (again after every reconnect, from the last entry shown) and keeps
 * the resume key the first join answers, so socket.io's reconnections and a reload get back in.
 * @param {CustomerSocket} socket @param {{ token: string, sessionId: number }} link @param {ReturnType<typeof createTimeline>} timeline
 */
async function join(socket, link, timeline) {
  /** @type {SessionJoinAck} */
  const ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('session.join', { sessionId: link.sessionId, afterSeq: timeline.lastSeq });
  if (!ack.ok) {
    notify(ack.error.code === 'SESSION_NOT_FOUND' ? 'This session no longer exists. Please ask your engineer for a new link.' : REFUSED);
    socket.disconnect();
    return;
  }
  if (ack.you.kind === 'customer' && ack.you.resumeKey) {
    sessionStorage.setItem(`resume:${link.token}`, ack.you.resumeKey);
    socket.auth = { sessionLink: link.token, resumeKey: ack.you.resumeKey };
  }
  timeline.setMe(ack.you.participantId);
  timeline.learnNames(ack.session);
  showSession(ack.session);
  for (const e of ack.entries) timeline.show(e);
  setConnection('connected', 'ok');
  if (ack.session.state !== 'ended') setChat(true);
}

/** @param {CustomerSocket} socket @param {{ sessionId: number }} link */
function wireChat(socket, link) {
  ui.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = ui.text.value.trim();
    if (!text) return;
    ui.chatError.textContent = '';
    /** @type {SessionTextAck | null} */
    const ack = await socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('session.chat', { sessionId: link.sessionId, text })
      .catch(() => null);
    if (ack?.ok) ui.text.value = '';
    else if (ack?.error.code === 'RATE_LIMITED') ui.chatError.textContent = 'Too many messages at once; please wait a moment and send again.';
    else if (ack?.error.code === 'SESSION_ENDED') ui.chatError.textContent = 'The session has ended; the message was not sent.';
    else ui.chatError.textContent = 'The message was not sent; please check your connection and try again.';
  });
}

function start() {
  const link = linkFromUrl();
  if (!link) {
    setConnection('no link', 'bad');
    notify(INCOMPLETE);
    return;
  }
  const stored = sessionStorage.getItem(`resume:${link.token}`);
  /** @type {CustomerSocket} */
  const socket = io({ path: '/socket.io', auth: stored ? { sessionLink: link.token, resumeKey: stored } : { sessionLink: link.token } });
  const timeline = createTimeline();

  socket.on('connect', () => {
    join(socket, link, timeline).catch(() => setConnection('reconnecting', 'warn'));
  });
  socket.on('disconnect', (reason) => {
    setChat(false);
    // Closed by the server (session ended) or by this page (refused): socket.io will not retry.
    if (reason === 'io server disconnect' || reason === 'io client disconnect') {
      if (ui.connection.textContent === 'connected') setConnection('closed', 'info');
    } else {
      setConnection('reconnecting', 'warn');
    }
  });
  socket.on('connect_error', (err) => {
    // The server's refusal is in `data` (socket-ack.ts); it does not say why, on purpose.
    if (/** @type {Error & { data?: { code?: string } }} */ (err).data?.code === 'UNAUTHENTICATED') {
      socket.disconnect();
      setConnection('refused', 'bad');
      notify(REFUSED);
    } else {
      setConnection('reconnecting', 'warn');
    }
  });
  socket.on('session-ended', () => {
    setConnection('ended', 'info');
    setChat(false);
    notify(ENDED, true);
  });
  socket.on('session.timeline', (e) => timeline.show(e));
  socket.on('session.state', (session) => {
    timeline.learnNames(session);
    showSession(session);
  });
  socket.on('session.telemetry', (t) => showReadings(t.metrics, t.ts));
  wireChat(socket, link);
}

start();
