import { api } from '../api.js';
import { badge, data, h, tNodes, when } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, copyableText, formDialog, section } from '../ui.js';
import { bytes, closeReasonWords } from './session-words.js';

/** @typedef {import('../api.js').TunnelView} TunnelView */
/** @typedef {import('../api.js').OpenedTunnelView} OpenedTunnelView */

// The PLC behind a simulated or a factory-new box; the engineer changes it in the form.
const DEFAULT_PLC = { host: '192.168.1.10', port: 502 };
const LOCAL_PORT = 1502;
/** @type {Record<TunnelView['state'], import('../i18n.js').MessageKey>} */
const TUNNEL_STATES = { opening: 'sessions.tunnels.state.opening', open: 'sessions.tunnels.state.open', closed: 'sessions.tunnels.state.closed' };

/**
 * What the engineer runs on their own computer so their PLC software reaches the tunnel at
 * localhost: the command line, ready to copy. The token is the engineer's API token (the
 * page itself signs in with an HttpOnly cookie it cannot read).
 * @param {OpenedTunnelView} tunnel
 */
function commandLine(tunnel) {
  const text = `npm run tunnel -- --url ${tunnel.url} --token "$MTBOX_TOKEN" --listen 127.0.0.1:${LOCAL_PORT}`;
  const { row, status } = copyableText({ value: text, label: t('sessions.tunnels.commandLine'), inputId: 'tunnel-command' });
  return h(
    'div',
    { class: 'tunnel-command' },
    h('p', {}, tNodes('sessions.tunnels.isOpen', { endpoint: data(`${tunnel.host}:${tunnel.port}`) })),
    row,
    status,
    h(
      'p',
      { class: 'muted' },
      tNodes('sessions.tunnels.pointAt', {
        local: data(`127.0.0.1:${LOCAL_PORT}`),
        token: data('MTBOX_TOKEN'),
        login: data('POST /api/auth/login'),
      }),
      t('sessions.tunnels.oneConnection'),
    ),
  );
}

/**
 * The session's PLC tunnels: open ones with their bytes each way and a close button, closed
 * ones with why and how long. Engineers in the active session (and admins) open new ones.
 * @param {{ sessionId: number, mayOpen: () => boolean }} options
 */
export function tunnelsCard({ sessionId, mayOpen }) {
  const path = `/sessions/${sessionId}/tunnels`;
  const opened = h('div', {});
  const list = h('div', {});
  const openButton = actionButton(
    t('sessions.tunnels.open'),
    async () => {
      const tunnel = await formDialog({
        title: t('sessions.tunnels.dialogTitle'),
        intro: t('sessions.tunnels.dialogIntro'),
        fields: [
          { name: 'host', label: t('sessions.tunnels.host'), required: true, value: DEFAULT_PLC.host, maxLength: 253 },
          { name: 'port', label: t('sessions.tunnels.port'), type: 'number', required: true, value: DEFAULT_PLC.port, min: 1, max: 65535 },
        ],
        submit: t('sessions.tunnels.open'),
        onSubmit: async (v) => /** @type {OpenedTunnelView} */ (await api(path, { method: 'POST', body: { host: v.host, port: v.port } })),
      });
      if (!tunnel) return;
      opened.replaceChildren(commandLine(tunnel));
      await refresh();
    },
    { testId: 'open-tunnel' },
  );
  const card = section(t('sessions.tunnels.title'), openButton);

  /** @param {TunnelView} tunnel */
  function row(tunnel) {
    const open = tunnel.state !== 'closed';
    return h(
      'li',
      { class: 'tunnel', 'data-tunnel-id': tunnel.id },
      h(
        'div',
        { class: 'fault-head' },
        h('strong', { class: 'mono', translate: 'no' }, `${tunnel.host}:${tunnel.port}`),
        badge(t(TUNNEL_STATES[tunnel.state]), open ? 'ok' : ''),
        h('span', { class: 'muted' }, tNodes('sessions.tunnels.openedBy', { who: data(tunnel.openedBy), at: when(tunnel.openedAt) })),
      ),
      h('div', { class: 'tunnel-bytes' }, t('sessions.tunnels.bytes', { down: bytes(tunnel.bytesDown), up: bytes(tunnel.bytesUp) })),
      open
        ? actionButton(
            t('sessions.tunnels.close'),
            async () => {
              await api(`${path}/${tunnel.id}`, { method: 'DELETE' });
              await refresh();
            },
            { tone: 'secondary', testId: 'close-tunnel' },
          )
        : h(
            'div',
            { class: 'muted' },
            tNodes('sessions.tunnels.closed', {
              at: when(tunnel.closedAt),
              reason: h('span', {}, tunnel.closeReason === null ? '—' : closeReasonWords(tunnel.closeReason)),
            }),
          ),
    );
  }

  async function refresh() {
    openButton.hidden = !mayOpen();
    try {
      const tunnels = /** @type {TunnelView[]} */ (await api(path));
      list.replaceChildren(
        tunnels.length === 0
          ? h('p', { class: 'empty' }, t('sessions.tunnels.empty'))
          : h('ul', { class: 'history', id: 'tunnel-list' }, tunnels.map(row)),
      );
      card.show([opened, list]);
    } catch (err) {
      card.fail(err);
    }
  }
  return { el: card.el, refresh };
}
