import { ApiError, api } from '../api.js';
import { signedInUser } from '../app.js';
import { catalogEntries } from '../catalog.js';
import { h } from '../dom.js';
import { errorText } from '../error-words.js';
import { t } from '../i18n.js';
import { liveSocket } from '../live-feed.js';
import { section } from '../ui.js';
import { commandPalette } from './command-palette.js';
import { sessionActions } from './session-actions.js';
import { liveMetrics, sessionFacts } from './session-facts.js';
import { createTimeline } from './session-timeline.js';
import { stateBadge } from './session-words.js';
import { tunnelsCard } from './session-tunnels.js';

/*
 * The session console (docs/realtime.md, "Remote-guidance sessions"): the session and its box,
 * live telemetry, the shared timeline with chat and notes, the command palette, the customer
 * link and the endings. It joins the session's room on the dashboard's one socket (again after
 * every reconnect, from the last entry it shows) and leaves it when the page is left.
 */

/** @typedef {import('../api.js').SessionDetail} SessionDetail */
/** @typedef {Omit<SessionDetail, 'timeline' | 'commands' | 'nextAfterSeq'>} SessionSnapshot */
/** @typedef {import('../live-feed.js').LiveSocket} LiveSocket */
/** @typedef {import('../../services/remote-support/sessions/domain/timeline-entry.ts').TimelineEntry} TimelineEntry */
/** @typedef {import('../../services/remote-support/sessions/domain/session-views.ts').SessionTelemetry} SessionTelemetry */
/** @typedef {import('../api.js').CatalogView['entries'][number]} CatalogEntry */

const JOIN_TIMEOUT_MS = 10_000;
// A command's ack comes when the box answered or its 15 s default timeout passed.
const COMMAND_ACK_TIMEOUT_MS = 20_000;

/** The live connection, or a failure in words when there is none. @returns {LiveSocket} */
function requireSocket() {
  const socket = liveSocket();
  if (!socket?.connected) throw new Error(t('sessions.console.socketDown'));
  return socket;
}

/**
 * An ack's refusal as an API error, so errorText words it like an HTTP failure.
 * @template {{ ok: boolean }} A
 * @param {A | { ok: false, error: { code: string, details: unknown } }} ack
 * @returns {Extract<A, { ok: true }>}
 */
function accepted(ack) {
  if ('error' in ack && !ack.ok) throw new ApiError(0, ack.error.code, ack.error.details);
  return /** @type {Extract<A, { ok: true }>} */ (ack);
}

/**
 * A text box that sends what is typed (chat or a note) and clears it once the server took it.
 * @param {{ label: string, placeholder: string, id: string, send: (text: string) => Promise<unknown> }} spec
 */
function textForm({ label, placeholder, id, send }) {
  const text = h('textarea', { rows: 2, maxlength: 4000, placeholder, 'aria-label': label, id: `${id}-text` });
  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit' }, label);
  const form = h('form', { class: 'text-form', id }, text, button, error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = text.value.trim();
    if (!value) return;
    error.textContent = '';
    button.disabled = true;
    try {
      await send(value);
      text.value = '';
    } catch (err) {
      error.textContent = errorText(err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/** @type {import('../app.js').View} */
export const sessionConsoleView = {
  get title() {
    return t('sessions.console.title');
  },
  channels: [],
  mount(container, [idText = '']) {
    const sessionId = Number(idText);
    const mayWrite = signedInUser().permissions.includes('sessions:write');
    const title = h('h1', {}, t('sessions.console.heading', { id: idText }));
    const badgeSlot = h('span', {});
    const connection = h('span', { class: 'badge warn', id: 'session-connection', role: 'status' }, t('sessions.console.joining'));
    const facts = section(t('sessions.console.facts'));
    const metrics = liveMetrics();
    const telemetry = section(t('sessions.console.telemetry'));
    const commands = section(t('sessions.console.commands'));
    const actions = section(t('sessions.console.work'));
    // Everyone in the session sees the tunnels (the timeline says who opened what); only engineers open and close them.
    const tunnels = tunnelsCard({ sessionId, mayOpen: () => mayWrite && shown?.state === 'active' });
    /** @type {Map<string, CatalogEntry>} */
    let catalog = new Map();
    const timeline = createTimeline({ catalog: () => catalog, session: () => shown });
    const talk = h('div', { class: 'talk' });
    const timelineCard = section(t('sessions.console.timeline'));
    // Each card named, so a check can tell the console's own cards from the command palette's.
    facts.el.id = 'session-facts-card';
    telemetry.el.id = 'session-telemetry-card';
    commands.el.id = 'session-commands-card';
    actions.el.id = 'session-actions-card';
    tunnels.el.id = 'session-tunnels-card';
    timelineCard.el.id = 'session-timeline-card';
    // Commands, the customer link and the endings only for roles that may use them (the server decides anyway).
    const sideCards = h('div', { class: 'session-side' }, facts.el, telemetry.el, mayWrite ? [commands.el, tunnels.el, actions.el] : tunnels.el);
    container.append(
      h('div', { class: 'toolbar' }, h('a', { href: '#/sessions' }, t('sessions.console.back')), title, badgeSlot, connection),
      h('div', { class: 'session-grid' }, timelineCard.el, sideCards),
    );
    /** @type {SessionSnapshot | null} */
    let shown = null;
    let left = false;
    // Joining waits for the first load, which joins at its end; a connect before it has nothing to resume.
    let loaded = false;

    // socket.io-client types the answer of timeout().emitWithAck as any; the contract says what it is.
    /** @param {'session.chat' | 'session.note'} event @param {string} text */
    const say = async (event, text) =>
      accepted(
        /** @type {import('../live-feed.js').SessionTextAck} */ (
          await requireSocket().timeout(JOIN_TIMEOUT_MS).emitWithAck(event, { sessionId, text })
        ),
      );
    /** @type {import('./command-palette.js').SendCommand} */
    const command = async (name, args) => {
      const ack = /** @type {import('../live-feed.js').SessionCommandAck} */ (
        await requireSocket().timeout(COMMAND_ACK_TIMEOUT_MS).emitWithAck('session.command', { sessionId, name, args })
      );
      return accepted(ack).outcome;
    };

    /** The chat box, and the note box for those who may write notes; neither once the session ended. @param {SessionSnapshot['state']} state */
    const talkForms = (state) =>
      h(
        'div',
        {},
        state === 'ended'
          ? h('p', { class: 'muted', id: 'session-read-only' }, t('sessions.console.readOnly'))
          : [
              textForm({
                label: t('sessions.console.sendChat'),
                placeholder: t('sessions.console.chatPlaceholder'),
                id: 'chat-form',
                send: (text) => say('session.chat', text),
              }),
              mayWrite
                ? textForm({
                    label: t('sessions.console.addNote'),
                    placeholder: t('sessions.console.notePlaceholder'),
                    id: 'note-form',
                    send: (text) => say('session.note', text),
                  })
                : null,
            ],
      );

    /** @param {SessionSnapshot} s */
    function showSession(s) {
      const stateChanged = shown?.state !== s.state;
      shown = s;
      timeline.learn(s.participants);
      facts.show(sessionFacts(s));
      badgeSlot.replaceChildren(stateBadge(s));
      if (!stateChanged) return;
      talk.replaceChildren(talkForms(s.state));
      if (loaded) void tunnels.refresh();
      if (!mayWrite) return;
      // Re-rendered only on a change of state, so a customer link shown there stays.
      actions.show(sessionActions(s, showSession) ?? h('p', { class: 'muted' }, t('sessions.console.endedReadOnly')));
      commands.show(
        s.state === 'active'
          ? commandPalette({ serial: s.serial, send: command })
          : h('p', { class: 'muted' }, s.state === 'queued' ? t('sessions.console.startFirst') : t('sessions.console.ended')),
      );
    }

    /** @param {TimelineEntry} e */
    function showEntry(e) {
      timeline.show(e);
      if (e.kind === 'telemetry-snapshot') metrics.update(e.data.metrics, e.data.ts);
      if (loaded && (e.kind === 'tunnel-opened' || e.kind === 'tunnel-closed')) void tunnels.refresh();
    }

    async function join() {
      const socket = liveSocket();
      if (left || !loaded || !socket?.connected) return;
      connection.textContent = t('sessions.console.joining');
      try {
        const ack = accepted(
          /** @type {import('../live-feed.js').SessionJoinAck} */ (
            await socket.timeout(JOIN_TIMEOUT_MS).emitWithAck('session.join', { sessionId, afterSeq: timeline.lastSeq })
          ),
        );
        if (left) return;
        showSession(ack.session);
        for (const e of ack.entries) showEntry(e);
        connection.textContent = t('sessions.console.live');
        connection.className = 'badge ok';
      } catch (err) {
        connection.textContent = t('sessions.console.notLive', { reason: errorText(err) });
        connection.className = 'badge bad';
      }
    }
    /** @param {TimelineEntry} e */
    const onTimeline = (e) => e.sessionId === sessionId && showEntry(e);
    /** @param {SessionSnapshot} s */
    const onState = (s) => s.id === sessionId && showSession(s);
    /** @param {SessionTelemetry} t */
    const onTelemetry = (t) => t.sessionId === sessionId && metrics.update(t.metrics, t.ts);
    const onConnect = () => void join();
    const onDisconnect = () => {
      connection.textContent = t('sessions.console.reconnecting');
      connection.className = 'badge warn';
    };
    const socket = liveSocket();
    socket?.on('session.timeline', onTimeline);
    socket?.on('session.state', onState);
    socket?.on('session.telemetry', onTelemetry);
    socket?.on('connect', onConnect);
    socket?.on('disconnect', onDisconnect);

    return {
      async refresh() {
        let detail;
        try {
          detail = /** @type {SessionDetail} */ (await api(`/sessions/${encodeURIComponent(idText)}`));
        } catch (err) {
          if (!(err instanceof ApiError && (err.code === 'SESSION_NOT_FOUND' || err.code === 'VALIDATION_FAILED'))) throw err;
          container.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('sessions.console.notFound', { id: idText })));
          return;
        }
        catalog = new Map((await catalogEntries().catch(() => [])).map((c) => [c.code, c]));
        showSession(detail);
        telemetry.show(metrics.el);
        timelineCard.show([timeline.el, talk]);
        for (const e of detail.timeline) showEntry(e);
        // A long session's timeline comes in parts.
        while (detail.nextAfterSeq !== null) {
          detail = /** @type {SessionDetail} */ (await api(`/sessions/${encodeURIComponent(idText)}?afterSeq=${detail.nextAfterSeq}`));
          for (const e of detail.timeline) showEntry(e);
        }
        loaded = true;
        void tunnels.refresh();
        await join();
      },
      dispose() {
        left = true;
        socket?.off('session.timeline', onTimeline);
        socket?.off('session.state', onState);
        socket?.off('session.telemetry', onTelemetry);
        socket?.off('connect', onConnect);
        socket?.off('disconnect', onDisconnect);
        if (socket?.connected) socket.emit('session.leave', { sessionId }, () => {});
      },
    };
  },
};
