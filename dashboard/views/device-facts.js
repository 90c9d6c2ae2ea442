import { badge, h, table, when } from '../dom.js';

/** @typedef {import('../api.js').DeviceDetail} DeviceDetail */

/**
 * A definition list of label → value pairs; values are text or nodes, never markup.
 * @param {[string, import('../dom.js').Child][]} pairs
 */
function facts(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value ?? '—')]),
  );
}

/** @param {DeviceDetail['presence']} p */
export function presenceText(p) {
  return p.online ? badge('online', 'ok') : badge(p.lastSeen === null ? 'never seen' : 'offline');
}

/** The registry's record of the box, with its customer. @param {DeviceDetail} d */
export function registryCard(d) {
  const c = d.customer;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'registry-title' },
    h('h2', { id: 'registry-title' }, 'Registry'),
    facts([
      ['Model', d.model],
      ['Firmware', d.firmware],
      ['Produced', d.productionDate],
      ['Sold', d.saleDate],
      ['Received', d.receiptDate],
      ['Enabled', d.enabled ? 'yes' : 'no (refused at the broker)'],
      ['Certificate required', d.requireCertificate ? 'yes' : 'no'],
      [
        'Organisation',
        d.organisation ? h('a', { href: `#/organisations/${d.organisation.id}`, id: 'device-organisation' }, d.organisation.name) : 'none linked',
      ],
      ['Customer', c?.name],
      ['Contact', c ? [c.contacts, c.phone].filter(Boolean).join(' · ') || null : null],
      ['Address', c?.address],
      ['Business line', c?.businessLine],
    ]),
  );
}

/** Presence as the broker sees it. @param {DeviceDetail['presence']} p */
export function presenceCard(p) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'presence-title' },
    h('h2', { id: 'presence-title' }, 'Presence ', h('span', { id: 'device-presence' }, presenceText(p))),
    facts([
      ['Last seen', when(p.lastSeen)],
      ['Connected at', when(p.connectedAt)],
      ['Disconnected at', when(p.disconnectedAt)],
      ['Address', p.address],
      ['Reported model', p.reportedModel],
      ['Reported firmware', p.reportedFw],
    ]),
  );
}

/** The latest value of every metric the box reported. @param {DeviceDetail['metrics']} m */
export function metricsCard(m) {
  const names = Object.keys(m.values).sort();
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'metrics-title' },
    h('h2', { id: 'metrics-title' }, 'Latest metrics'),
    names.length === 0
      ? h('p', { class: 'empty' }, 'This box has reported no telemetry yet.')
      : [
          h('p', { class: 'muted' }, `Box time ${when(m.ts)}, received ${when(m.receivedAt)}`),
          table(
            ['Metric', 'Value'],
            names.map((name) => [h('span', { class: 'mono' }, name), String(m.values[name])]),
          ),
        ],
  );
}
