import { api, apiPage } from '../api.js';
import { signedInUser } from '../app.js';
import { badge, h } from '../dom.js';
import { errorText } from '../error-words.js';
import { t as tr } from '../i18n.js';
import { formDialog, pagedList, tickCountdowns } from '../ui.js';
import {
  backupWarning,
  coalesced,
  countdownOf,
  deadlineWords,
  FINISHED_STATES,
  nextDeadline,
  provisional,
  STATE_ORDER,
  stateWords,
} from './rma-words.js';
import { queueWords } from '../words.js';

/** @typedef {import('../api.js').TicketView} TicketView */

const PAGE_SIZE = 200;
const QUEUES = ['industry', 'logistics', 'general'];
// docs/permissions.md: technicians may not open tickets (the server answers RMA_FORBIDDEN).
const OPENER_ROLES = ['admin', 'after-sales', 'engineer'];

/**
 * One ticket on the board: who and what, the deadline it runs against, and what needs care.
 * @param {TicketView} t
 */
export function ticketCard(t) {
  const due = nextDeadline(t.ticket);
  return h(
    'a',
    { class: 'rma-card', href: `#/tickets/${t.id}`, 'data-ticket-id': t.id },
    h(
      'span',
      { class: 'rma-card-head' },
      h('strong', {}, `#${t.id}`),
      h('span', { class: 'mono', translate: 'no' }, t.ticket.serial),
      badge(queueWords(t.queue), 'info'),
    ),
    t.ticket.form.customerName
      ? h('span', { class: 'rma-card-customer', translate: 'no' }, t.ticket.form.customerName)
      : h('span', { class: 'rma-card-customer' }, tr('rma.board.noCustomer')),
    due
      ? h(
          'span',
          { class: 'rma-card-due' },
          tr('rma.board.deadline', { deadline: deadlineWords(due.kind) }),
          countdownOf(due),
          due.unofficialYears.length > 0 ? [' ', provisional(due.unofficialYears)] : null,
        )
      : h('span', { class: 'rma-card-due muted' }, FINISHED_STATES.has(t.ticket.state) ? stateWords(t.ticket.state) : tr('rma.board.noDeadline')),
    t.parameterBackup.warning && !FINISHED_STATES.has(t.ticket.state) ? badge(backupWarning(t.parameterBackup) ?? '', 'warn') : null,
  );
}

/**
 * The filters of the board, as the API's query.
 * @param {HTMLFormElement} form
 */
function filterQuery(form) {
  const data = new FormData(form);
  const query = new URLSearchParams();
  for (const name of ['serial', 'queue', 'state']) {
    const value = String(data.get(name) ?? '').trim();
    if (value) query.set(name, name === 'serial' ? value.toUpperCase() : value);
  }
  return query;
}

function filterForm() {
  return h(
    'form',
    { class: 'rma-filters', role: 'search' },
    h('input', {
      class: 'rma-filter',
      name: 'serial',
      id: 'rma-filter-serial',
      placeholder: tr('rma.field.serial'),
      'aria-label': tr('rma.field.serial'),
      maxlength: 32,
    }),
    h(
      'select',
      { class: 'rma-filter', name: 'queue', 'aria-label': tr('rma.board.queue') },
      h('option', { value: '' }, tr('rma.board.allQueues')),
      QUEUES.map((q) => h('option', { value: q }, queueWords(q))),
    ),
    h(
      'select',
      { class: 'rma-filter', name: 'state', 'aria-label': tr('rma.board.state') },
      h('option', { value: '' }, tr('rma.board.allStates')),
      STATE_ORDER.map((s) => h('option', { value: s }, stateWords(s))),
    ),
  );
}

/** Opens a ticket for a box from a customer's call, then shows it. */
async function newTicket() {
  const opened = await formDialog({
    title: tr('rma.new.title'),
    intro: tr('rma.new.intro'),
    submit: tr('rma.new.submit'),
    fields: [
      { name: 'serial', label: tr('rma.field.serial'), required: true, maxLength: 32 },
      { name: 'faultPhenomenon', label: tr('rma.new.fault'), type: 'textarea', required: true, maxLength: 4000 },
    ],
    onSubmit: async (v) =>
      /** @type {TicketView} */ (
        await api('/tickets', {
          method: 'POST',
          body: { serial: String(v.serial).toUpperCase(), form: { faultPhenomenon: v.faultPhenomenon } },
        })
      ),
  });
  if (opened) location.hash = `#/tickets/${opened.id}`;
}

/**
 * The RMA board: open tickets grouped by state in process order, each with its running
 * deadline counting down; closed and cancelled ones in a "Finished" group loaded when opened.
 * A live change to a ticket re-renders its card in place.
 * @type {import('../app.js').View}
 */
export const ticketsView = {
  get title() {
    return tr('rma.board.title');
  },
  channels: ['tickets'],
  mount(container) {
    const filters = filterForm();
    const board = h('div', { class: 'rma-board', id: 'rma-board' });
    const status = h('p', { class: 'muted', role: 'status' }, tr('rma.board.loading'));
    const more = h('button', { type: 'button', class: 'secondary', hidden: true }, tr('rma.board.loadMore'));
    const finishedList = h('div', {});
    const finished = h('details', { class: 'card rma-finished' }, h('summary', {}, tr('rma.board.finished')), finishedList);
    const canOpen = OPENER_ROLES.includes(signedInUser().role);
    const opener = canOpen ? h('button', { type: 'button', id: 'new-ticket' }, tr('rma.board.newTicket')) : null;
    opener?.addEventListener('click', () => void newTicket().catch((err) => alertError(err)));
    container.append(h('div', { class: 'toolbar' }, h('h1', {}, tr('rma.board.title')), opener, filters), status, board, more, finished);
    tickCountdowns(board);

    /** @type {Map<number, TicketView>} */
    const shown = new Map();
    /** @type {string | null} */
    let next = null;
    let generation = 0;
    /** @type {{ reset: () => Promise<void> } | null} */
    let finishedPaged = null;

    /** @param {unknown} err */
    function alertError(err) {
      status.className = 'error';
      status.textContent = errorText(err);
    }

    function render() {
      const open = [...shown.values()].filter((t) => !FINISHED_STATES.has(t.ticket.state));
      board.replaceChildren(
        ...STATE_ORDER.filter((s) => !FINISHED_STATES.has(s)).flatMap((state) => {
          const here = open.filter((t) => t.ticket.state === state).sort((a, b) => b.id - a.id);
          if (here.length === 0) return [];
          return [
            h(
              'section',
              { class: 'rma-column', 'data-state': state, 'aria-label': stateWords(state) },
              h('h2', {}, stateWords(state), h('span', { class: 'badge' }, String(here.length))),
              here.map(ticketCard),
            ),
          ];
        }),
      );
      status.hidden = open.length > 0;
      status.className = 'muted';
      status.textContent = tr('rma.board.noOpen');
    }

    /** @param {boolean} first */
    async function loadOpen(first) {
      const mine = first ? ++generation : generation;
      const query = filterQuery(filters);
      query.set('open', 'true');
      query.set('limit', String(PAGE_SIZE));
      const page = await apiPage(`/tickets?${query}`, first ? null : next);
      if (mine !== generation) return;
      if (first) shown.clear();
      for (const t of /** @type {TicketView[]} */ (page.data)) shown.set(t.id, t);
      next = page.next;
      more.hidden = next === null;
      render();
    }

    function loadFinished() {
      finishedPaged ??= (() => {
        const paged = pagedList({
          fetchPage: async (cursor) => {
            const query = filterQuery(filters);
            query.set('open', 'false');
            query.set('limit', '50');
            const page = await apiPage(`/tickets?${query}`, cursor);
            return { items: /** @type {TicketView[]} */ (page.data), next: page.next };
          },
          render: (items) => h('div', { class: 'rma-finished-cards' }, items.map(ticketCard)),
          empty: tr('rma.board.noFinished'),
        });
        finishedList.replaceChildren(paged.el);
        return paged;
      })();
      return finishedPaged.reset();
    }

    /** A ticket changed: fetch it and put its card where its state and the filters say. @param {number} id */
    async function patch(id) {
      try {
        const t = /** @type {TicketView} */ (await api(`/tickets/${id}`));
        const q = filterQuery(filters);
        const matches = ['serial', 'queue', 'state'].every((k) => {
          const want = q.get(k);
          return !want || want === (k === 'serial' ? t.ticket.serial : k === 'queue' ? t.queue : t.ticket.state);
        });
        if (matches && !FINISHED_STATES.has(t.ticket.state)) shown.set(t.id, t);
        else shown.delete(t.id);
        render();
        if (finished.open && FINISHED_STATES.has(t.ticket.state)) void loadFinished();
      } catch (err) {
        alertError(err);
      }
    }

    const reload = () => {
      void loadOpen(true).catch(alertError);
      if (finished.open) void loadFinished();
    };
    // A serial is looked up once typed in full (Enter or leaving the field), not at every key.
    filters.addEventListener('change', reload);
    filters.addEventListener('submit', (e) => {
      e.preventDefault();
      reload();
    });
    more.addEventListener('click', () => void loadOpen(false).catch(alertError));
    finished.addEventListener('toggle', () => {
      if (finished.open) void loadFinished();
    });

    const patchSoon = coalesced((/** @type {number} */ id) => void patch(id));
    return {
      refresh: () => loadOpen(true),
      onLive(event) {
        if (typeof event.id !== 'number') return false;
        patchSoon(event.id);
        return true;
      },
    };
  },
};
