import { api } from '../api.js';
import { badge, h, table, when } from '../dom.js';

/** @typedef {import('../api.js').DeviceSummary} DeviceSummary */

/** @type {Record<DeviceSummary['warranty']['status'], string>} */
const WARRANTY_TONE = { 'in-warranty': 'ok', expired: 'bad', unknown: '' };

/** @param {DeviceSummary['warranty']} w */
function warranty(w) {
  const label = w.status === 'in-warranty' && w.endsOn ? `until ${w.endsOn}` : w.status;
  return badge(label, WARRANTY_TONE[w.status]);
}

/** The device page of a box. @param {string} serial */
export const deviceHref = (serial) => `#/devices/${encodeURIComponent(serial)}`;

/** @param {DeviceSummary['presence']} p */
function presence(p) {
  return p.online ? badge('online', 'ok') : h('span', { class: 'muted', title: `last seen ${when(p.lastSeen)}` }, 'offline');
}

/**
 * @param {DeviceSummary} device
 * @param {string} query lower case
 */
function matches(device, query) {
  return [device.serial, device.model, device.firmware ?? '', device.customer?.name ?? ''].some((v) => v.toLowerCase().includes(query));
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

/**
 * Registered boxes with presence and warranty; the filter narrows the loaded list in the page.
 * Presence events patch the box's row in place; other device events refetch the list.
 * @type {import('../app.js').View}
 */
export const fleetView = {
  title: 'Fleet',
  channels: ['devices'],
  mount(container) {
    /** @type {DeviceSummary[]} */
    let devices = [];
    const filter = h('input', {
      type: 'search',
      id: 'fleet-filter',
      placeholder: 'Filter: serial, model, firmware, customer',
      'aria-label': 'Filter boxes',
    });
    const count = h('span', { class: 'muted' });
    const list = h('div', { class: 'list' });
    /** The presence cell of each shown row, by serial, so a live event patches one cell. @type {Map<string, HTMLElement>} */
    const presenceCells = new Map();
    const show = () => {
      const query = filter.value.trim().toLowerCase();
      const shown = query ? devices.filter((d) => matches(d, query)) : devices;
      count.textContent = `${shown.length} of ${devices.length} boxes`;
      presenceCells.clear();
      const rows = shown.map((d) => {
        const cell = h('span', { class: 'presence', 'data-serial': d.serial }, presence(d.presence));
        presenceCells.set(d.serial, cell);
        return [
          h('a', { class: 'mono row-link', href: deviceHref(d.serial) }, d.serial),
          d.model,
          d.firmware ?? '—',
          cell,
          warranty(d.warranty),
          d.customer?.name ?? '—',
        ];
      });
      list.replaceChildren(table(['Serial', 'Model', 'Firmware', 'Online', 'Warranty', 'Customer'], rows, 'No boxes match.'));
    };
    filter.addEventListener('input', show);
    // A click anywhere on a row opens the box, as its serial link does.
    list.addEventListener('click', (e) => {
      const row = /** @type {Element} */ (e.target).closest('tr');
      const link = row?.querySelector('a.row-link');
      if (link && !(/** @type {Element} */ (e.target).closest('a'))) location.hash = /** @type {string} */ (link.getAttribute('href'));
    });
    container.append(h('div', { class: 'toolbar' }, h('h1', {}, 'Fleet'), filter, count), list);
    return {
      async refresh() {
        // The fleet view filters as you type, so it reads every page of the list.
        /** @type {import('../api.js').DeviceSummary[]} */
        const all = [];
        /** @type {string | null} */
        let cursor = null;
        do {
          const query = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
          const page = /** @type {import('../api.js').DeviceList} */ (await api(`/devices?limit=1000${query}`));
          all.push(...page.devices);
          cursor = page.nextCursor;
        } while (cursor !== null);
        devices = all;
        show();
      },
      onLive(event) {
        const next = presenceFrom(event);
        const device = next && devices.find((d) => d.serial === event.id);
        // A box the list does not hold yet (just registered) or another kind of event: refetch.
        if (!next || !device) return false;
        device.presence = next;
        presenceCells.get(device.serial)?.replaceChildren(presence(next));
        return true;
      },
    };
  },
};
