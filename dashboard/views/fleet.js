import { apiPage } from '../api.js';
import { signedInUser } from '../app.js';
import { importButton, registerButton } from './fleet-register.js';
import { badge, data, h, when } from '../dom.js';
import { formatCalendarDate, t } from '../i18n.js';

/** @typedef {import('../api.js').DeviceSummary} DeviceSummary */

/** @type {Record<DeviceSummary['warranty']['status'], string>} */
const WARRANTY_TONE = { 'in-warranty': 'ok', expired: 'bad', unknown: '' };

/** @type {Record<DeviceSummary['warranty']['status'], import('../i18n.js').MessageKey>} */
const WARRANTY_WORDS = { 'in-warranty': 'fleet.warranty.in-warranty', expired: 'fleet.warranty.expired', unknown: 'fleet.warranty.unknown' };

/** @param {DeviceSummary['warranty']} w */
export function warranty(w) {
  const label =
    w.status === 'in-warranty' && w.endsOn ? t('fleet.warranty.until', { date: formatCalendarDate(w.endsOn) }) : t(WARRANTY_WORDS[w.status]);
  // Without a receipt date the warranty counts from the sale date: say so, it may be generous.
  const shown = badge(w.basis === 'sale-date' ? t('fleet.warranty.fromSaleDate', { label }) : label, WARRANTY_TONE[w.status]);
  shown.title = w.reasons.join(' ');
  return shown;
}

/** The device page of a box. @param {string} serial */
export const deviceHref = (serial) => `#/devices/${encodeURIComponent(serial)}`;

/** The customer column: the organisation the box belongs to, linked, else the registry's text. @param {DeviceSummary} d */
function organisationCell(d) {
  if (d.organisation) return h('a', { href: `#/organisations/${d.organisation.id}`, class: 'fleet-organisation' }, data(d.organisation.name));
  return d.customer?.name ? data(d.customer.name) : '—';
}

/** @param {DeviceSummary['presence']} p */
export function presence(p) {
  return p.online
    ? badge(t('fleet.presence.online'), 'ok')
    : h('span', { class: 'muted', title: t('fleet.presence.lastSeen', { time: when(p.lastSeen) }) }, t('fleet.presence.offline'));
}

/**
 * The presence a `device.online` / `device.offline` event tells, or null for other events.
 * @param {import('../live-feed.js').LiveEvent} event
 * @returns {DeviceSummary['presence'] | null}
 */
function presenceFrom(event) {
  if (event.type !== 'device.online' && event.type !== 'device.offline') return null;
  const lastSeen = event.data.lastSeen;
  return { online: event.type === 'device.online', lastSeen: typeof lastSeen === 'number' ? lastSeen : event.at };
}

/** @type {{ value: string, label: import('../i18n.js').MessageKey }[]} */
const ONLINE_CHOICES = [
  { value: '', label: 'fleet.filter.anyPresence' },
  { value: 'true', label: 'fleet.filter.online' },
  { value: 'false', label: 'fleet.filter.offline' },
];
/** @type {{ value: string, label: import('../i18n.js').MessageKey }[]} */
const WARRANTY_CHOICES = [
  { value: '', label: 'fleet.filter.anyWarranty' },
  { value: 'in-warranty', label: 'fleet.filter.inWarranty' },
  { value: 'expired', label: 'fleet.filter.expired' },
  { value: 'unknown', label: 'fleet.filter.unknown' },
];
const PAGE_SIZE = 100;
// Typing waits this long before asking the server, so a serial typed fast is one request.
const SEARCH_DELAY_MS = 250;

/** @param {string} id @param {string} label @param {{ value: string, label: import('../i18n.js').MessageKey }[]} choices */
function choice(id, label, choices) {
  return h(
    'select',
    { id, 'aria-label': label },
    choices.map((c) => h('option', { value: c.value }, t(c.label))),
  );
}

/**
 * Registered boxes with presence and warranty, a page at a time: the search box and the
 * filters are the server's (`q`, `online`, `warranty`), so 10,000 boxes open as fast as 100.
 * Presence events patch the box's row in place; other device events refetch the first page.
 * @type {import('../app.js').View}
 */
export const fleetView = {
  get title() {
    return t('fleet.title');
  },
  channels: ['devices'],
  mount(container) {
    /** The shown boxes by serial, so a live event patches one row. @type {Map<string, { device: DeviceSummary, cell: HTMLElement }>} */
    const shown = new Map();
    const filter = h('input', {
      type: 'search',
      id: 'fleet-filter',
      placeholder: t('fleet.search.placeholder'),
      'aria-label': t('fleet.search.label'),
    });
    const online = choice('fleet-online', t('fleet.filter.presence'), ONLINE_CHOICES);
    const warrantyChoice = choice('fleet-warranty', t('fleet.filter.warranty'), WARRANTY_CHOICES);
    const count = h('span', { class: 'muted', id: 'fleet-count' });
    const body = h('tbody');
    const empty = h('p', { class: 'empty', hidden: true }, t('fleet.noMatch'));
    const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('common.loadMore'));
    const grid = h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            /** @type {const} */ ([
              'fleet.column.serial',
              'fleet.column.model',
              'fleet.column.firmware',
              'fleet.column.online',
              'fleet.column.warranty',
              'fleet.column.customer',
            ]).map((key) => h('th', {}, t(key))),
          ),
        ),
        body,
      ),
    );
    /** @type {string | null} */
    let next = null;
    let generation = 0;

    /** @param {DeviceSummary} d */
    function row(d) {
      const cell = h('span', { class: 'presence', 'data-serial': d.serial }, presence(d.presence));
      shown.set(d.serial, { device: d, cell });
      return h(
        'tr',
        {},
        [
          h('a', { class: 'mono row-link', href: deviceHref(d.serial) }, data(d.serial)),
          data(d.model),
          d.firmware ? data(d.firmware) : '—',
          cell,
          warranty(d.warranty),
          organisationCell(d),
        ].map((c) => h('td', {}, c)),
      );
    }

    function query() {
      const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (filter.value.trim()) params.set('q', filter.value.trim());
      if (online.value) params.set('online', online.value);
      if (warrantyChoice.value) params.set('warranty', warrantyChoice.value);
      return `/devices?${params}`;
    }

    /** @param {boolean} first */
    async function load(first) {
      const mine = first ? ++generation : generation;
      more.disabled = true;
      try {
        const { data, next: cursor } = await apiPage(query(), first ? null : next);
        if (mine !== generation) return;
        const page = /** @type {import('../api.js').DeviceList} */ (data);
        if (first) {
          shown.clear();
          body.replaceChildren();
        }
        body.append(...page.devices.map(row));
        next = cursor;
        more.hidden = next === null;
        empty.hidden = shown.size > 0;
        grid.hidden = shown.size === 0;
        count.textContent = t('fleet.count', { count: shown.size, more: next === null ? 'no' : 'yes' });
      } finally {
        more.disabled = false;
      }
    }

    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let typing;
    filter.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => void load(true), SEARCH_DELAY_MS);
    });
    online.addEventListener('change', () => void load(true));
    warrantyChoice.addEventListener('change', () => void load(true));
    more.addEventListener('click', () => void load(false));
    // A click anywhere on a row opens the box, as its serial link does.
    body.addEventListener('click', (e) => {
      const target = /** @type {Element} */ (e.target);
      const link = target.closest('tr')?.querySelector('a.row-link');
      if (link && !target.closest('a')) location.hash = /** @type {string} */ (link.getAttribute('href'));
    });
    const canRegister = signedInUser().permissions.includes('devices:write');
    container.append(
      h(
        'div',
        { class: 'toolbar' },
        h('h1', {}, t('fleet.heading')),
        filter,
        online,
        warrantyChoice,
        count,
        canRegister
          ? h(
              'span',
              { class: 'card-tools' },
              registerButton(() => load(true)),
              importButton(() => load(true)),
            )
          : null,
      ),
      h('div', { class: 'list' }, grid, empty, more),
    );
    return {
      refresh: () => load(true),
      onLive(event) {
        const next = presenceFrom(event);
        const entry = next && shown.get(String(event.id));
        // A box the list does not hold (another page, or just registered): nothing to patch.
        if (next && !entry) return true;
        if (!next || !entry) return false;
        entry.device.presence = next;
        entry.cell.replaceChildren(presence(next));
        return true;
      },
    };
  },
};
