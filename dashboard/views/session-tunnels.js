import { api } from '../api.js';
import { badge, h, when } from '../dom.js';
import { actionButton, copyableText, formDialog, section } from '../ui.js';

/** @typedef {import('../api.js').TunnelView} TunnelView */
/** @typedef {import('../api.js').OpenedTunnelView} OpenedTunnelView */

// The PLC behind a simulated or a factory-new box; the engineer changes it in the form.
const DEFAULT_PLC = { host: '192.168.1.10', port: 502 };
const LOCAL_PORT = 1502;

/** 1,234 B / 12.3 KB / 4.5 MB @param {number} n */
function bytes(n) {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} KB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

/**
 * What the engineer runs on their own computer so their PLC software reaches the tunnel at
 * localhost: the command line, ready to copy. The token is the engineer's API token (the
 * page itself signs in with an HttpOnly cookie it cannot read).
 * @param {OpenedTunnelView} tunnel
 */
function commandLine(tunnel) {
  const text = `npm run tunnel -- --url ${tunnel.url} --token "$MTBOX_TOKEN" --listen 127.0.0.1:${LOCAL_PORT}`;
  const { row, status } = copyableText({ value: text, label: 'Command line', inputId: 'tunnel-command' });
  return h(
    'div',
    { class: 'tunnel-command' },
    h('p', {}, `Tunnel to ${tunnel.host}:${tunnel.port} is open. On your computer, run:`),
    row,
    status,
    h(
      'p',
      { class: 'muted' },
      `then point your PLC software at 127.0.0.1:${LOCAL_PORT}. MTBOX_TOKEN is your API token (POST /api/auth/login answers it). `,
      'One program connection per tunnel: when it disconnects, the tunnel closes.',
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
    'Open tunnel',
    async () => {
      const tunnel = await formDialog({
        title: 'Open a tunnel to the PLC',
        intro: 'The box connects to this address on its LAN, if its allow-list permits it, and carries the TCP stream to you.',
        fields: [
          { name: 'host', label: 'PLC address on the box’s LAN', required: true, value: DEFAULT_PLC.host, maxLength: 253 },
          { name: 'port', label: 'TCP port', type: 'number', required: true, value: DEFAULT_PLC.port, min: 1, max: 65535 },
        ],
        submit: 'Open tunnel',
        onSubmit: async (v) => /** @type {OpenedTunnelView} */ (await api(path, { method: 'POST', body: { host: v.host, port: v.port } })),
      });
      if (!tunnel) return;
      opened.replaceChildren(commandLine(tunnel));
      await refresh();
    },
    { testId: 'open-tunnel' },
  );
  const card = section('PLC tunnels', openButton);

  /** @param {TunnelView} t */
  function row(t) {
    const open = t.state !== 'closed';
    return h(
      'li',
      { class: 'tunnel', 'data-tunnel-id': t.id },
      h(
        'div',
        { class: 'fault-head' },
        h('strong', { class: 'mono' }, `${t.host}:${t.port}`),
        badge(t.state, open ? 'ok' : ''),
        h('span', { class: 'muted' }, `opened by ${t.openedBy}, ${when(t.openedAt)}`),
      ),
      h('div', { class: 'tunnel-bytes' }, `↓ to the PLC ${bytes(t.bytesDown)} · ↑ from the PLC ${bytes(t.bytesUp)}`),
      open
        ? actionButton(
            'Close',
            async () => {
              await api(`${path}/${t.id}`, { method: 'DELETE' });
              await refresh();
            },
            { tone: 'secondary', testId: 'close-tunnel' },
          )
        : h('div', { class: 'muted' }, `closed ${when(t.closedAt)}: ${t.closeReason ?? '—'}`),
    );
  }

  async function refresh() {
    openButton.hidden = !mayOpen();
    try {
      const tunnels = /** @type {TunnelView[]} */ (await api(path));
      list.replaceChildren(
        tunnels.length === 0
          ? h('p', { class: 'empty' }, 'No tunnels in this session.')
          : h('ul', { class: 'history', id: 'tunnel-list' }, tunnels.map(row)),
      );
      card.show([opened, list]);
    } catch (err) {
      card.fail(err);
    }
  }
  return { el: card.el, refresh };
}
