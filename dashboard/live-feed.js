// socket.io's own client bundle, served by the backend (serveClient) in its ES module build.
import { io } from '/socket.io/socket.io.esm.min.js';
import { h } from './dom.js';
import { formatTime, onLocaleChange, t } from './i18n.js';
import { catalogTitles, describeLive } from './live-words.js';

/** @typedef {import('../services/remote-support/realtime/live-events.ts').LiveEvent} LiveEvent */
/** @typedef {import('../services/remote-support/realtime/live-events.ts').Channel} Channel */
/** @typedef {import('../services/remote-support/realtime/socket-contract.ts').ChannelAck} ChannelAck */
/** @typedef {import('../services/remote-support/realtime/session-contract.ts').SessionJoinAck} SessionJoinAck */
/** @typedef {import('../services/remote-support/realtime/session-contract.ts').SessionLeaveAck} SessionLeaveAck */
/** @typedef {import('../services/remote-support/realtime/session-contract.ts').SessionTextAck} SessionTextAck */
/** @typedef {import('../services/remote-support/realtime/session-contract.ts').SessionCommandAck} SessionCommandAck */
/** @typedef {import('../services/contract/payloads.ts').CommandName} CommandName */
/**
 * The client events the dashboard emits, with the acknowledgement the server answers: channel
 * subscriptions here, and the session events of the session console (docs/realtime.md).
 * @typedef {{
 *   subscribe: (request: import('../services/remote-support/realtime/socket-contract.ts').ChannelRequest, ack: (answer: ChannelAck) => void) => void,
 *   'session.join': (request: { sessionId: number, afterSeq: number }, ack: (answer: SessionJoinAck) => void) => void,
 *   'session.leave': (request: { sessionId: number }, ack: (answer: SessionLeaveAck) => void) => void,
 *   'session.chat': (request: { sessionId: number, text: string }, ack: (answer: SessionTextAck) => void) => void,
 *   'session.note': (request: { sessionId: number, text: string }, ack: (answer: SessionTextAck) => void) => void,
 *   'session.command': (request: { sessionId: number, name: CommandName, args: Record<string, unknown>, timeoutMs?: number },
 *     ack: (answer: SessionCommandAck) => void) => void,
 * }} DashboardClientEvents
 */
/**
 * @typedef {import('/socket.io/socket.io.esm.min.js').Socket<
 *   import('../services/remote-support/realtime/socket-contract.ts').ServerToClientEvents, DashboardClientEvents>} LiveSocket
 */

/** @type {Channel[]} */
const CHANNELS = ['tickets', 'cases', 'incidents', 'platform-tickets', 'devices', 'sessions'];
const MAX_ENTRIES = 200;
const ACK_TIMEOUT_MS = 5000;
/** The connection's states, in words (`live` and `offline` are the page frame's too). @type {Record<string, import('./i18n.js').MessageKey>} */
const STATUS_WORDS = {
  connecting: 'fleet.live.connecting',
  live: 'common.live.live',
  partial: 'fleet.live.partial',
  reconnecting: 'fleet.live.reconnecting',
  offline: 'common.live.offline',
};
/** The one connection while someone is signed in, shared by the pages (they join session rooms on it). @type {LiveSocket | null} */
let shared = null;

/**
 * The dashboard's socket, for pages that use more than the channels (the session console
 * joins its session's room); null while no one is signed in. Pages add their own listeners and
 * remove them when they are left; they never disconnect it.
 */
export function liveSocket() {
  return shared;
}

/**
 * A feed line in plain language, linking to the page it is about.
 * @param {LiveEvent} event
 * @param {Map<string, string>} names catalog titles by fault code
 */
function entry(event, names) {
  const { parts, href } = describeLive(event, names);
  return h(
    'li',
    { class: `feed-entry channel-${event.channel}`, 'data-type': event.type },
    h(
      'div',
      { class: 'feed-head' },
      h('a', { href, class: 'feed-text' }, parts),
      h('time', { datetime: new Date(event.at).toISOString() }, formatTime(event.at)),
    ),
  );
}

/**
 * Connects with the session cookie, subscribes to the fleet's channels (again after every
 * reconnect: subscriptions belong to the connection) and lists each `live` event at the top.
 * Returns a function that disconnects.
 * @param {{ list: HTMLElement, status: HTMLElement, onEvent: (event: LiveEvent) => void, onSignedOut: () => void }} options
 * @returns {() => void}
 */
export function startLiveFeed({ list, status, onEvent, onSignedOut }) {
  let shownStatus = 'connecting';
  /** @type {(state: keyof typeof STATUS_WORDS, tone: string) => void} */
  const setStatus = (state, tone) => {
    shownStatus = state;
    status.textContent = t(STATUS_WORDS[state] ?? 'fleet.live.connecting');
    status.className = `badge ${tone}`;
  };
  setStatus('connecting', 'warn');
  // The empty feed's line is drawn by styles.css from this attribute, in the page's language.
  list.dataset.empty = t('fleet.live.waiting');
  /** The events listed, newest first, kept so a switch of language describes them again. @type {LiveEvent[]} */
  const shown = [];
  let stopped = false;
  // Describing is asynchronous (the catalog's titles): each line waits for the ones before it,
  // so the feed keeps the order the events came in.
  /** @type {Promise<unknown>} */
  let queue = Promise.resolve();
  /** @param {() => Promise<void>} step */
  const inTurn = (step) => {
    queue = queue.then(step, step);
  };
  // The catalog names fault codes; without it (not loaded yet, or failed) the codes stand.
  const titles = () => catalogTitles().catch(() => new Map());
  const stopRelabel = onLocaleChange(() => {
    status.textContent = t(STATUS_WORDS[shownStatus] ?? 'fleet.live.connecting');
    list.dataset.empty = t('fleet.live.waiting');
    inTurn(async () => {
      const names = await titles();
      if (!stopped) list.replaceChildren(...shown.map((event) => entry(event, names)));
    });
  });
  /** @type {LiveSocket} */
  const socket = io({ path: '/socket.io', withCredentials: true });
  shared = socket;

  socket.on('connect', async () => {
    setStatus('connecting', 'warn');
    // socket.io-client types the answer of timeout().emitWithAck as any; the contract says what it is.
    /** @type {(channel: Channel) => Promise<ChannelAck>} */
    const subscribe = (channel) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('subscribe', { channel });
    const acks = await Promise.all(CHANNELS.map((channel) => subscribe(channel).catch(() => null)));
    const refused = CHANNELS.filter((_, i) => !acks[i]?.ok);
    if (refused.length > 0) console.warn('live channels not subscribed', refused);
    setStatus(refused.length === 0 ? 'live' : 'partial', refused.length === 0 ? 'ok' : 'warn');
  });
  socket.on('disconnect', () => setStatus('reconnecting', 'warn'));
  socket.on('connect_error', (err) => {
    // socket.io puts the server's refusal (socket-ack.ts REALTIME_ERRORS) in `data`.
    if (/** @type {Error & { data?: { code?: string } }} */ (err).data?.code === 'UNAUTHENTICATED') {
      socket.disconnect();
      onSignedOut();
    } else {
      setStatus('reconnecting', 'warn');
    }
  });
  // The login expired or was revoked; the server disconnects right after this.
  socket.on('session-ended', () => onSignedOut());
  socket.on('live', (event) => {
    inTurn(async () => {
      const names = await titles();
      if (stopped) return;
      shown.unshift(event);
      shown.length = Math.min(shown.length, MAX_ENTRIES);
      list.prepend(entry(event, names));
      while (list.children.length > MAX_ENTRIES) /** @type {Element} */ (list.lastElementChild).remove();
    });
    onEvent(event);
  });

  return () => {
    if (shared === socket) shared = null;
    stopRelabel();
    stopped = true;
    socket.disconnect();
    shown.length = 0;
    list.replaceChildren();
    setStatus('offline', '');
  };
}
