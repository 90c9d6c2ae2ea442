import { api, apiPage } from '../api.js';
import { signedInUser } from '../app.js';
import { h, table, when } from '../dom.js';
import { actionButton, formDialog, pagedList } from '../ui.js';
import { stateWords } from './case-words.js';
import { localInput, PLATFORM_STATES, platformStateBadge, severityBadge } from './platform-words.js';

/** @typedef {import('../api.js').PlatformTicketView} PlatformTicketView */

const PAGE_SIZE = 50;
const LIVE_RELOAD_MS = 300;

/**
 * The customer's BUG Feedback Form as a dialog; answers the new ticket, or null if cancelled.
 * @returns {Promise<PlatformTicketView | null>}
 */
export function newPlatformTicket() {
  return formDialog({
    title: 'New platform ticket: BUG Feedback Form',
    intro: h('p', { class: 'muted' }, 'Record the fault phenomenon faithfully, as the customer reports it.'),
    fields: [
      { name: 'project', label: 'Project', required: true, maxLength: 200 },
      { name: 'reporter', label: 'Reported by', required: true, maxLength: 200 },
      { name: 'contact', label: 'Contact (phone or e-mail)', required: true, maxLength: 200 },
      { name: 'description', label: 'What happens', type: 'textarea', required: true, maxLength: 8000 },
      {
        name: 'severity',
        label: 'Severity',
        type: 'select',
        required: true,
        value: 'medium',
        options: ['critical', 'high', 'medium', 'low'].map((s) => ({ value: s, label: s })),
      },
      { name: 'occurredAt', label: 'Occurred at', type: 'datetime', required: true, value: localInput(Date.now()) },
    ],
    submit: 'Submit',
    onSubmit: async (values) => /** @type {PlatformTicketView} */ (await api('/platform-tickets', { method: 'POST', body: values })),
  });
}

/**
 * MTIC platform maintenance tickets, newest first, filtered by state and paged by the server;
 * a row opens the ticket. Roles that may write platform tickets open new ones from the BUG
 * Feedback Form.
 * @type {import('../app.js').View}
 */
export const platformTicketsView = {
  title: 'Platform tickets',
  channels: ['platform-tickets'],
  mount(container) {
    const filter = h(
      'select',
      { id: 'platform-state-filter', 'aria-label': 'Show platform tickets in state' },
      h('option', { value: '' }, 'Every state'),
      PLATFORM_STATES.map((s) => h('option', { value: s }, stateWords(s))),
    );
    const list = pagedList({
      empty: 'No platform tickets in this state.',
      async fetchPage(cursor) {
        const state = filter.value ? `&state=${encodeURIComponent(filter.value)}` : '';
        const { data, next } = await apiPage(`/platform-tickets?limit=${PAGE_SIZE}${state}`, cursor);
        const items = Array.isArray(data) ? data : /** @type {{ tickets?: unknown }} */ (data)?.tickets;
        return { items: /** @type {PlatformTicketView[]} */ (Array.isArray(items) ? items : []), next };
      },
      /** @param {PlatformTicketView[]} tickets */
      render: (tickets) =>
        table(
          ['Ticket', 'Project', 'Organisation', 'Severity', 'State', 'Reported by', 'Submitted'],
          tickets.map((t) => [
            h('a', { class: 'row-link', href: `#/platform-tickets/${t.id}` }, `Platform #${t.id}`),
            t.ticket.form.project,
            t.organisation ? t.organisation.name : h('span', { class: 'muted' }, 'entered by staff'),
            severityBadge(t.ticket.form.severity),
            platformStateBadge(t.ticket.state),
            t.ticket.form.reporter,
            when(t.ticket.submittedAt),
          ]),
        ),
    });
    filter.addEventListener('change', () => void list.reset());
    const mayWrite = signedInUser().permissions.includes('platform-tickets:write');
    const create = mayWrite
      ? actionButton(
          'New platform ticket',
          async () => {
            const created = await newPlatformTicket();
            if (created) location.hash = `#/platform-tickets/${created.id}`;
          },
          { testId: 'new-platform-ticket' },
        )
      : null;
    container.append(h('div', { class: 'toolbar' }, h('h1', {}, 'Platform tickets'), filter, create), h('div', { class: 'list' }, list.el));
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    return {
      refresh: () => list.reset(),
      onLive() {
        // One reload per burst of changes.
        clearTimeout(timer);
        timer = setTimeout(() => void list.reset(), LIVE_RELOAD_MS);
        return true;
      },
    };
  },
};
