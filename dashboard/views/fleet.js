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

/** Registered boxes with presence and warranty; the filter narrows the loaded list in the page. @type {import('../app.js').View} */
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
    const show = () => {
      const query = filter.value.trim().toLowerCase();
      const shown = query ? devices.filter((d) => matches(d, query)) : devices;
      count.textContent = `${shown.length} of ${devices.length} boxes`;
      const rows = shown.map((d) => [
        h('span', { class: 'mono' }, d.serial),
        d.model,
        d.firmware ?? '—',
        presence(d.presence),
        warranty(d.warranty),
        d.customer?.name ?? '—',
      ]);
      list.replaceChildren(table(['Serial', 'Model', 'Firmware', 'Online', 'Warranty', 'Customer'], rows, 'No boxes match.'));
    };
    filter.addEventListener('input', show);
    container.append(h('div', { class: 'toolbar' }, h('h1', {}, 'Fleet'), filter, count), list);
    return async () => {
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
    };
  },
};
