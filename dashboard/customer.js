// socket.io's own client bundle, served by the backend (serveClient) in its ES module build.
import { io } from '/socket.io/socket.io.esm.min.js';
import { data, h, tNodes } from './dom.js';
import { currentLocale, formatTime, isLocale, onLocaleChange, setLocale, t, translateMarkup } from './i18n.js';
import { systemSentence, userName } from './views/session-words.js';
import { severityWords } from './words.js';

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

/** @typedef {import('./i18n.js').MessageKey} MessageKey */
/** @typedef {'connecting' | 'connected' | 'reconnecting' | 'closed' | 'refused' | 'ended' | 'no link'} Connection */

/** @type {Record<Connection, MessageKey>} */
const CONNECTION_WORDS = {
  connecting: 'customer.connection.connecting',
  connected: 'customer.connection.connected',
  reconnecting: 'customer.connection.reconnecting',
  closed: 'customer.connection.closed',
  refused: 'customer.connection.refused',
  ended: 'customer.connection.ended',
  'no link': 'customer.connection.noLink',
};

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
  sessionLine: byId('session-line'),
  readings: byId('readings'),
  timeline: byId('timeline'),
  timelineEmpty: byId('timeline-empty'),
  form: /** @type {HTMLFormElement} */ (byId('chat')),
  text: /** @type {HTMLTextAreaElement} */ (byId('chat-text')),
  chatError: byId('chat-error'),
  language: /** @type {HTMLSelectElement} */ (byId('language')),
};

/*
 * What the page shows, kept as facts rather than words, so a switch of language says it all
 * again in the other one without a reload (render()).
 */
const shown = {
  /** @type {Connection} */
  connection: 'connecting',
  /** @type {{ key: MessageKey, info: boolean } | null} */
  notice: null,
  /** @type {MessageKey | null} */
  chatError: null,
  /** @type {SessionSnapshot | null} */
  session: null,
  /** @type {{ metrics: Record<string, number>, ts: number | null } | null} */
  readings: null,
};

/** @param {Connection} connection @param {string} tone */
function setConnection(connection, tone) {
  shown.connection = connection;
  ui.connection.textContent = t(CONNECTION_WORDS[connection]);
  ui.connection.className = `badge ${tone}`;
}

/** Shows a message in words (role=alert); `info` for news that is not a failure. @param {MessageKey} key @param {boolean} [info] */
function notify(key, info = false) {
  shown.notice = { key, info };
  ui.notice.textContent = t(key);
  ui.notice.className = info ? 'notice info' : 'notice';
  ui.notice.hidden = false;
}

/** @param {MessageKey | null} key */
function setChatError(key) {
  shown.chatError = key;
  ui.chatError.textContent = key === null ? '' : t(key);
}

/** @param {boolean} enabled */
function setChat(enabled) {
  ui.text.disabled = !enabled;
  const button = ui.form.querySelector('button');
  if (button) button.disabled = !enabled;
}

/** @type {Record<SessionSnapshot['state'], MessageKey>} */
const STATE_WORDS = { queued: 'customer.state.queued', active: 'customer.state.active', ended: 'customer.state.ended' };

/** The session's state in words: `in progress`, `waiting for an engineer (number 2 in line)`. @param {SessionSnapshot | null} session */
function sessionLine(session) {
  if (!session) return t('customer.loading');
  const state = t(STATE_WORDS[session.state]);
  return session.state === 'queued' && session.queuePosition ? t('customer.state.inLine', { state, position: session.queuePosition }) : state;
}

function renderSessionLine() {
  ui.sessionLine.replaceChildren(...tNodes('customer.sessionLine', { state: h('span', { id: 'session-state' }, sessionLine(shown.session)) }));
}

/** @param {SessionSnapshot} session */
function showSession(session) {
  shown.session = session;
  ui.serial.textContent = session.serial;
  renderSessionLine();
  if (session.state === 'ended') {
    setChat(false);
    notify('customer.ended', true);
  }
}

/** The box's latest values, one row per metric (its names as the box reports them). */
function renderReadings() {
  const { metrics, ts } = shown.readings ?? { metrics: {}, ts: null };
  const rows = Object.entries(metrics)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([name, value]) => [h('dt', {}, data(name)), h('dd', { translate: 'no' }, String(value))]);
  if (rows.length === 0) {
    ui.readings.replaceChildren(h('dt', {}, t('customer.readings')), h('dd', {}, t('customer.noReadings')));
    return;
  }
  ui.readings.replaceChildren(...rows, h('dt', {}, t('customer.updated')), h('dd', {}, ts === null ? '—' : formatTime(ts)));
}

/** @param {Record<string, number>} metrics @param {number | null} ts */
function showReadings(metrics, ts) {
  if (Object.keys(metrics).length === 0) return;
  shown.readings = { metrics, ts };
  renderReadings();
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

/** @type {Record<Extract<TimelineEntry, { kind: 'command-result' }>['data']['status'], MessageKey>} */
const STATUS_WORDS = {
  succeeded: 'customer.status.succeeded',
  failed: 'customer.status.failed',
  'timed-out': 'customer.status.timed-out',
  offline: 'customer.status.offline',
  queued: 'customer.status.queued',
  'not-sent': 'customer.status.not-sent',
};

/** The page's view of the session: who is who, and what it already shows. */
function createTimeline() {
  let lastSeq = 0;
  /** @type {number | null} */
  let me = null;
  /** @type {Map<number, SessionSnapshot['participants'][number]>} */
  const people = new Map();
  /** Every entry shown, to say them again in another language. @type {TimelineEntry[]} */
  const entries = [];

  /** @param {TimelineEntry['author']} author @returns {(string | Node)[]} */
  function authorName(author) {
    switch (author.kind) {
      case 'user':
        return userName(author.username, author.role);
      case 'customer':
        if (author.participantId === me) return [t('customer.you')];
        return author.label ? [data(author.label)] : [t('sessions.person.aCustomer')];
      case 'box':
        return tNodes('sessions.person.box', { serial: data(author.serial) });
      default:
        return [t('sessions.person.system')];
    }
  }

  /** @param {number} id @returns {(string | Node)[]} */
  function who(id) {
    if (id === me) return [t('customer.you')];
    const p = people.get(id);
    if (!p) return [t('sessions.person.someone')];
    if (p.kind === 'customer') return p.label ? [data(p.label)] : [t('sessions.person.aCustomer')];
    return userName(p.username ?? '—', p.role);
  }

  /** @param {(string | Node)[]} parts */
  const span = (parts) => h('span', {}, parts);

  /** What the entry says; what people and the box wrote stays data. @param {TimelineEntry} e @returns {(string | Node)[]} */
  function describe(e) {
    switch (e.kind) {
      case 'chat':
      case 'note':
        return [data(e.data.text)];
      case 'command':
        return tNodes('customer.entry.command', { name: data(e.data.name) });
      case 'command-result':
        return [t('customer.entry.result', { status: t(STATUS_WORDS[e.data.status]) })];
      case 'telemetry-snapshot':
        return tNodes('customer.entry.readings', {
          readings: data(
            Object.entries(e.data.metrics)
              .map(([k, v]) => `${k} ${v}`)
              .join(', '),
          ),
        });
      case 'fault': {
        const facts = {
          code: data(e.data.code),
          severity: severityWords(e.data.severity),
          state: t(e.data.state === 'cleared' ? 'customer.fault.cleared' : 'customer.fault.raised'),
        };
        return e.data.message
          ? tNodes('customer.entry.faultMessage', { ...facts, message: data(e.data.message) })
          : tNodes('customer.entry.fault', facts);
      }
      case 'event':
        return tNodes('customer.entry.event', { type: data(e.data.type) });
      case 'participant-joined':
        return tNodes('customer.entry.joined', { who: span(who(e.data.participantId)) });
      case 'participant-left':
        return tNodes('customer.entry.left', { who: span(who(e.data.participantId)) });
      default:
        return systemSentence(e, span(authorName(e.author)), shown.session?.outcomeReason ?? null);
    }
  }

  /** @param {TimelineEntry} e */
  function entry(e) {
    const mine = e.author.kind === 'customer' && e.author.participantId === me;
    return h(
      'li',
      { class: `kind-${e.kind}${mine ? ' mine' : ''}`, 'data-seq': e.seq },
      h('div', { class: 'entry-head' }, h('strong', {}, authorName(e.author)), h('time', {}, formatTime(e.at))),
      describe(e),
    );
  }

  return {
    /** @param {number | null} participantId */
    setMe(participantId) {
      me = participantId;
    },
    /** @param {SessionSnapshot} session */
    learnNames(session) {
      for (const p of session.participants) people.set(p.id, p);
    },
    get lastSeq() {
      return lastSeq;
    },
    /** Appends one entry unless it is already shown. @param {TimelineEntry} e */
    show(e) {
      if (e.seq <= lastSeq) return;
      lastSeq = e.seq;
      entries.push(e);
      if (e.kind === 'telemetry-snapshot') showReadings(e.data.metrics, e.data.ts);
      ui.timelineEmpty.hidden = true;
      ui.timeline.append(entry(e));
      ui.timeline.scrollTop = ui.timeline.scrollHeight;
    },
    /** Every entry again, in the page's language now. */
    render() {
      ui.timeline.replaceChildren(...entries.map(entry));
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
    notify(ack.error.code === 'SESSION_NOT_FOUND' ? 'customer.notFound' : 'customer.refused');
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
    setChatError(null);
    /** @type {SessionTextAck | null} */
    const ack = await socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('session.chat', { sessionId: link.sessionId, text })
      .catch(() => null);
    if (ack?.ok) ui.text.value = '';
    else if (ack?.error.code === 'RATE_LIMITED') setChatError('customer.chat.rateLimited');
    else if (ack?.error.code === 'SESSION_ENDED') setChatError('customer.chat.sessionEnded');
    else setChatError('customer.chat.failed');
  });
}

/**
 * The page's words: the static markup, the title and everything shown, again after a switch of
 * language. The page follows the browser's language until the switch chooses one, which this
 * browser then remembers (i18n.js setLocale).
 * @param {ReturnType<typeof createTimeline>} timeline
 */
function wireLanguage(timeline) {
  const render = () => {
    translateMarkup(document.body);
    document.title = t('customer.pageTitle');
    ui.language.value = currentLocale();
    ui.connection.textContent = t(CONNECTION_WORDS[shown.connection]);
    if (shown.notice) ui.notice.textContent = t(shown.notice.key);
    setChatError(shown.chatError);
    renderSessionLine();
    renderReadings();
    timeline.render();
  };
  ui.language.addEventListener('change', () => {
    if (isLocale(ui.language.value)) setLocale(ui.language.value);
  });
  onLocaleChange(render);
  render();
}

function start() {
  const timeline = createTimeline();
  wireLanguage(timeline);
  const link = linkFromUrl();
  if (!link) {
    setConnection('no link', 'bad');
    notify('customer.incomplete');
    return;
  }
  const stored = sessionStorage.getItem(`resume:${link.token}`);
  /** @type {CustomerSocket} */
  const socket = io({ path: '/socket.io', auth: stored ? { sessionLink: link.token, resumeKey: stored } : { sessionLink: link.token } });

  socket.on('connect', () => {
    join(socket, link, timeline).catch(() => setConnection('reconnecting', 'warn'));
  });
  socket.on('disconnect', (reason) => {
    setChat(false);
    // Closed by the server (session ended) or by this page (refused): socket.io will not retry.
    if (reason === 'io server disconnect' || reason === 'io client disconnect') {
      if (shown.connection === 'connected') setConnection('closed', 'info');
    } else {
      setConnection('reconnecting', 'warn');
    }
  });
  socket.on('connect_error', (err) => {
    // The server's refusal is in `data` (socket-ack.ts); it does not say why, on purpose.
    if (/** @type {Error & { data?: { code?: string } }} */ (err).data?.code === 'UNAUTHENTICATED') {
      socket.disconnect();
      setConnection('refused', 'bad');
      notify('customer.refused');
    } else {
      setConnection('reconnecting', 'warn');
    }
  });
  socket.on('session-ended', () => {
    setConnection('ended', 'info');
    setChat(false);
    notify('customer.ended', true);
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
