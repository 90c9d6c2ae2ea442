import { apiPage } from '../api.js';
import { data, h } from '../dom.js';
import { t } from '../i18n.js';
import { pagedList } from '../ui.js';
import { stateNow, waitingBadge } from './portal-words.js';

/** @typedef {import('../api.js').PortalTicketSummary} PortalTicketSummary */

const PAGE_SIZE = 50;

/**
 * One repair request: which box, what happens now, whose turn it is.
 * @param {PortalTicketSummary} ticket
 */
function ticketRow(ticket) {
  return h(
    'a',
    { class: 'portal-card', href: `#/portal/tickets/${ticket.id}`, 'data-ticket-id': ticket.id },
    h(
      'span',
      { class: 'portal-card-head' },
      h('strong', {}, `#${ticket.id}`),
      h('span', { class: 'mono' }, data(ticket.serial)),
      waitingBadge(ticket.waitingFor),
    ),
    h('span', {}, stateNow(ticket.state)),
    ticket.faultPhenomenon ? h('span', { class: 'muted portal-card-note' }, data(ticket.faultPhenomenon)) : null,
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
  get title() {
    return t('portal.tickets.title');
  },
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
        empty: open ? t('portal.tickets.noOpen') : t('portal.tickets.noDone'),
      });
    const open = listOf(true);
    const done = listOf(false);
    container.append(
      h(
        'div',
        { class: 'portal-page' },
        h('section', { class: 'card' }, h('h1', {}, t('portal.tickets.open')), open.el),
        h('section', { class: 'card' }, h('h2', {}, t('portal.tickets.done')), done.el),
      ),
    );
    return async () => {
      await Promise.all([open.reset(), done.reset()]);
    };
  },
};
