import { apiPage } from '../api.js';
import { h } from '../dom.js';
import { pagedList } from '../ui.js';
import { presenceLine, warrantyLine } from './portal-words.js';

/** @typedef {import('../api.js').PortalDevice} PortalDevice */

const PAGE_SIZE = 50;

/**
 * One of the customer's boxes: serial and model, online or not, warranty, a repair in progress.
 * @param {PortalDevice} d
 */
function boxCard(d) {
  return h(
    'a',
    { class: 'portal-card', href: `#/portal/devices/${encodeURIComponent(d.serial)}`, 'data-serial': d.serial },
    h('span', { class: 'portal-card-head' }, h('strong', { class: 'mono' }, d.serial), h('span', { class: 'muted' }, d.model)),
    h('span', { class: 'portal-card-badges' }, presenceLine(d.presence), warrantyLine(d.warranty)),
    d.openTicketId !== null ? h('span', { class: 'portal-card-note' }, `Repair request #${d.openTicketId} in progress`) : null,
  );
}

/** The customer's boxes ("My boxes"): search, then a card per box. */
export const portalView = {
  title: 'My boxes',
  channels: /** @type {const} */ ([]),
  /** @param {HTMLElement} container */
  mount(container) {
    const search = h('input', {
      type: 'search',
      name: 'q',
      placeholder: 'Serial, model or firmware',
      'aria-label': 'Search my boxes',
      maxlength: 200,
    });
    const list = pagedList({
      /** @param {string | null} cursor */
      async fetchPage(cursor) {
        const q = search.value.trim();
        const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(q ? { q } : {}) });
        const { data, next } = await apiPage(`/portal/devices?${query}`, cursor);
        return { items: /** @type {import('../api.js').PortalDeviceList} */ (data).devices, next };
      },
      /** @param {PortalDevice[]} items */
      render: (items) => h('div', { class: 'portal-cards' }, items.map(boxCard)),
      empty: 'No boxes are linked to your organisation yet. Ask your after-sales contact to link them.',
    });
    const form = h('form', { class: 'portal-search', role: 'search' }, search);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void list.reset();
    });
    container.append(
      h(
        'section',
        { class: 'card' },
        h('h1', {}, 'My boxes'),
        h('p', { class: 'muted' }, 'Open a box to see its warranty or to request a repair.'),
        form,
        list.el,
      ),
    );
    return () => list.reset();
  },
};
