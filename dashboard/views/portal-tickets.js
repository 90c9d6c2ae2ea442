import { apiPage } from '../api.js';
import { h } from '../dom.js';
import { pagedList } from '../ui.js';
import { stateNow, waitingBadge } from './portal-words.js';

/** @typedef {import('../api.js').PortalTicketSummary} PortalTicketSummary */

const PAGE_SIZE = 50;

/**
 * One repair request: which box, what happens now, whose turn it is.
 * @param {PortalTicketSummary} t
 */
function ticketRow(t) {
  return h(
    'a',
    { class: 'portal-card', href: `#/portal/tickets/${t.id}`, 'data-ticket-id': t.id },
    h('span', { class: 'portal-card-head' }, h('strong', {}, `#${t.id}`), h('span', { class: 'mono' }, t.serial), waitingBadge(t.waitingFor)),
    h('span', {}, stateNow(t.state)),
    t.faultPhenomenon ? h('span', { class: 'muted portal-card-note' }, t.faultPhenomenon) : null,
  );
}

/**
 * Repair requests as cards, or the empty state in words.
 * @param {PortalTicketSummary[]} tickets
 * @param {string} empty
 */
export function portalTicketList(tickets, empty) {
  return tickets.length === 0 ? h('p', { class: 'empty' }, empty) : h('div', { class: 'portal-cards' }, tickets.map(ticketRow));
}

/** The organisation's repair requests ("Repairs"), in progress first, then finished ones. */
export const portalTicketsView = {
  title: 'Repairs',
  channels: /** @type {const} */ ([]),
  /** @param {HTMLElement} container */
  mount(container) {
    /** @param {boolean} open */
    const listOf = (open) =>
      pagedList({
        /** @param {string | null} cursor */
        async fetchPage(cursor) {
          const { data, next } = await apiPage(`/portal/tickets?open=${open}&limit=${PAGE_SIZE}`, cursor);
          return { items: /** @type {import('../api.js').PortalTicketList} */ (data).tickets, next };
        },
        /** @param {PortalTicketSummary[]} items */
        render: (items) => portalTicketList(items, ''),
        empty: open ? 'No repair in progress. To request one, open the box under My boxes.' : 'No finished repairs yet.',
      });
    const open = listOf(true);
    const done = listOf(false);
    container.append(
      h(
        'div',
        { class: 'portal-page' },
        h('section', { class: 'card' }, h('h1', {}, 'Repairs in progress'), open.el),
        h('section', { class: 'card' }, h('h2', {}, 'Finished'), done.el),
      ),
    );
    return async () => {
      await Promise.all([open.reset(), done.reset()]);
    };
  },
};
