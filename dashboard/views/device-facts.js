import { badge, data, h, table, when } from '../dom.js';
import { formatCalendarDate, t } from '../i18n.js';
import { businessLineWords } from './business-lines.js';

/** @typedef {import('../api.js').DeviceDetail} DeviceDetail */
/** @typedef {import('../i18n.js').MessageKey} MessageKey */

/**
 * A definition list of label → value pairs; values are text or nodes, never markup.
 * @param {[MessageKey, import('../dom.js').Child][]} pairs
 */
function facts(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.flatMap(([label, value]) => [h('dt', {}, t(label)), h('dd', {}, value ?? '—')]),
  );
}

/** What the registry or the box wrote, as data; nothing when there is none. @param {string | null | undefined} text */
const written = (text) => (text ? data(text) : null);

/** @param {DeviceDetail['presence']} p */
export function presenceText(p) {
  if (p.online) return badge(t('fleet.presence.online'), 'ok');
  return badge(p.lastSeen === null ? t('fleet.presence.neverSeen') : t('fleet.presence.offline'));
}

/** The registry's record of the box, with its customer. @param {DeviceDetail} d */
export function registryCard(d) {
  const c = d.customer;
  const contact = c ? [c.contacts, c.phone].filter(Boolean).join(' · ') : '';
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'registry-title' },
    h('h2', { id: 'registry-title' }, t('fleet.facts.registry')),
    facts([
      ['fleet.facts.model', written(d.model)],
      ['fleet.facts.firmware', written(d.firmware)],
      ['fleet.facts.produced', d.productionDate ? formatCalendarDate(d.productionDate) : null],
      ['fleet.facts.sold', d.saleDate ? formatCalendarDate(d.saleDate) : null],
      ['fleet.facts.received', d.receiptDate ? formatCalendarDate(d.receiptDate) : null],
      ['fleet.facts.enabled', d.enabled ? t('fleet.facts.yes') : t('fleet.facts.refused')],
      ['fleet.facts.certificate', d.requireCertificate ? t('fleet.facts.yes') : t('fleet.facts.no')],
      [
        'fleet.facts.organisation',
        d.organisation
          ? h('a', { href: `#/organisations/${d.organisation.id}`, id: 'device-organisation' }, data(d.organisation.name))
          : t('fleet.facts.noOrganisation'),
      ],
      ['fleet.facts.customer', written(c?.name)],
      ['fleet.facts.contact', written(contact)],
      ['fleet.facts.address', written(c?.address)],
      ['fleet.facts.businessLine', c?.businessLine ? businessLineWords(c.businessLine) : null],
    ]),
  );
}

/** Presence as the broker sees it. @param {DeviceDetail['presence']} p */
export function presenceCard(p) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'presence-title' },
    h('h2', { id: 'presence-title' }, t('fleet.facts.presence'), ' ', h('span', { id: 'device-presence' }, presenceText(p))),
    facts([
      ['fleet.facts.lastSeen', when(p.lastSeen)],
      ['fleet.facts.connectedAt', when(p.connectedAt)],
      ['fleet.facts.disconnectedAt', when(p.disconnectedAt)],
      ['fleet.facts.ipAddress', written(p.address)],
      ['fleet.facts.reportedModel', written(p.reportedModel)],
      ['fleet.facts.reportedFirmware', written(p.reportedFw)],
    ]),
  );
}

/** The latest value of every metric the box reported. @param {DeviceDetail['metrics']} m */
export function metricsCard(m) {
  const names = Object.keys(m.values).sort();
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'metrics-title' },
    h('h2', { id: 'metrics-title' }, t('fleet.facts.metrics')),
    names.length === 0
      ? h('p', { class: 'empty' }, t('fleet.facts.noMetrics'))
      : [
          h('p', { class: 'muted' }, t('fleet.facts.metricsTime', { boxTime: when(m.ts), receivedAt: when(m.receivedAt) })),
          table(
            [t('fleet.facts.metric'), t('fleet.facts.value')],
            // Metric names and values are as the box reported them.
            names.map((name) => [h('span', { class: 'mono', translate: 'no' }, name), data(String(m.values[name]))]),
          ),
        ],
  );
}
