import { apiPage } from '../api.js';
import { data, h } from '../dom.js';
import { t } from '../i18n.js';
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
    h('span', { class: 'portal-card-head' }, h('strong', { class: 'mono' }, data(d.serial)), h('span', { class: 'muted' }, data(d.model))),
    h('span', { class: 'portal-card-badges' }, presenceLine(d.presence), warrantyLine(d.warranty)),
    d.openTicketId !== null ? h('span', { class: 'portal-card-note' }, t('portal.boxes.repairInProgress', { id: d.openTicketId })) : null,
  );
}

/** The customer's boxes ("My boxes"): search, then a card per box. */
export const portalView = {
  get title() {
    return t('portal.boxes.title');
  },
  channels: /** @type {const} */ ([]),
  /** @param {HTMLElement} container */
  mount(container) {
    const search = h('input', {
      type: 'search',
      name: 'q',
      placeholder: t('portal.boxes.searchPlaceholder'),
      'aria-label': t('portal.boxes.searchLabel'),
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
      empty: t('portal.boxes.empty'),
    });
    const form = h('form', { class: 'portal-search', role: 'search' }, search);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void list.reset();
    });
    container.append(
      h('section', { class: 'card' }, h('h1', {}, t('portal.boxes.title')), h('p', { class: 'muted' }, t('portal.boxes.intro')), form, list.el),
    );
    return () => list.reset();
  },
};
