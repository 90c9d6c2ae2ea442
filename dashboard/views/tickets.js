import { api } from '../api.js';
import { badge, h, table } from '../dom.js';

/** @typedef {import('../api.js').TicketView} TicketView */

const FINISHED_STATES = new Set(['closed', 'cancelled']);

/** @param {number[]} years */
function provisional(years) {
  const title = `counted across ${years.join(', ')} without official holiday data: the date may move`;
  return h('span', { class: 'badge warn', title }, 'provisional');
}

/**
 * Running deadlines; one counted across a year without official holiday data may still move.
 * @param {TicketView['ticket']} ticket
 */
function deadlines(ticket) {
  const running = ticket.deadlines.filter((d) => d.firedAt === null && d.cancelledAt === null);
  if (running.length === 0) return h('span', { class: 'muted' }, '—');
  return h(
    'ul',
    { class: 'plain' },
    running.map((d) => h('li', {}, `${d.kind} due ${d.dueDate}`, d.unofficialYears.length > 0 ? [' ', provisional(d.unofficialYears)] : null)),
  );
}

/** @param {TicketView} view */
function backup(view) {
  if (view.parameterBackup.warning) return badge(view.parameterBackup.warning, 'warn');
  return view.parameterBackup.latest ? badge('backed up', 'ok') : h('span', { class: 'muted' }, '—');
}

/** RMA tickets, newest first. @type {import('../app.js').View} */
export const ticketsView = {
  title: 'Tickets',
  channels: ['tickets'],
  mount(container) {
    const list = h('div', { class: 'list' });
    container.append(h('div', { class: 'toolbar' }, h('h1', {}, 'RMA tickets')), list);
    return async () => {
      const tickets = /** @type {TicketView[]} */ (await api('/tickets'));
      const rows = tickets.map((t) => [
        `#${t.id}`,
        h('span', { class: 'mono' }, t.ticket.serial),
        badge(t.ticket.state, FINISHED_STATES.has(t.ticket.state) ? '' : 'info'),
        t.queue,
        deadlines(t.ticket),
        backup(t),
      ]);
      list.replaceChildren(table(['Ticket', 'Serial', 'State', 'Queue', 'Deadlines', 'Parameter backup'], rows, 'No tickets.'));
    };
  },
};
