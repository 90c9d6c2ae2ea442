import { api, apiPage } from '../api.js';
import { signedInUser } from '../app.js';
import { data, h, table, when } from '../dom.js';
import { t, toDateTimeInput } from '../i18n.js';
import { actionButton, formDialog, pagedList } from '../ui.js';
import { stateWords } from './case-words.js';
import { PLATFORM_STATES, platformStateBadge, SEVERITY_WORDS, severityBadge } from './platform-words.js';

/** @typedef {import('../api.js').PlatformTicketView} PlatformTicketView */

const PAGE_SIZE = 50;
const LIVE_RELOAD_MS = 300;

/**
 * The customer's BUG Feedback Form as a dialog; answers the new ticket, or null if cancelled.
 * @returns {Promise<PlatformTicketView | null>}
 */
export function newPlatformTicket() {
  return formDialog({
    title: t('cases.platform.newTitle'),
    intro: h('p', { class: 'muted' }, t('cases.platform.newIntro')),
    fields: [
      { name: 'project', label: t('cases.platform.project'), required: true, maxLength: 200 },
      { name: 'reporter', label: t('cases.platform.reporter'), required: true, maxLength: 200 },
      { name: 'contact', label: t('cases.platform.contactField'), required: true, maxLength: 200 },
      { name: 'description', label: t('cases.platform.description'), type: 'textarea', required: true, maxLength: 8000 },
      {
        name: 'severity',
        label: t('cases.platform.severity'),
        type: 'select',
        required: true,
        value: 'medium',
        options: Object.entries(SEVERITY_WORDS).map(([value, key]) => ({ value, label: t(key) })),
      },
      { name: 'occurredAt', label: t('cases.platform.occurredAt'), type: 'datetime', required: true, value: toDateTimeInput(Date.now()) },
    ],
    submit: t('cases.platform.submit'),
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
  get title() {
    return t('cases.platform.listTitle');
  },
  channels: ['platform-tickets'],
  mount(container) {
    const filter = h(
      'select',
      { id: 'platform-state-filter', 'aria-label': t('cases.platform.filter') },
      h('option', { value: '' }, t('cases.list.everyState')),
      PLATFORM_STATES.map((s) => h('option', { value: s }, stateWords(s))),
    );
    const list = pagedList({
      empty: t('cases.platform.none'),
      async fetchPage(cursor) {
        const state = filter.value ? `&state=${encodeURIComponent(filter.value)}` : '';
        const { data, next } = await apiPage(`/platform-tickets?limit=${PAGE_SIZE}${state}`, cursor);
        const items = Array.isArray(data) ? data : /** @type {{ tickets?: unknown }} */ (data)?.tickets;
        return { items: /** @type {PlatformTicketView[]} */ (Array.isArray(items) ? items : []), next };
      },
      /** @param {PlatformTicketView[]} tickets */
      render: (tickets) =>
        table(
          [
            t('cases.platform.col.ticket'),
            t('cases.platform.project'),
            t('cases.platform.col.organisation'),
            t('cases.platform.severity'),
            t('cases.col.state'),
            t('cases.platform.reporter'),
            t('cases.platform.col.submitted'),
          ],
          tickets.map((v) => [
            h('a', { class: 'row-link', href: `#/platform-tickets/${v.id}` }, t('cases.platform.number', { id: v.id })),
            data(v.ticket.form.project),
            v.organisation ? data(v.organisation.name) : h('span', { class: 'muted' }, t('cases.platform.byStaff')),
            severityBadge(v.ticket.form.severity),
            platformStateBadge(v.ticket.state),
            data(v.ticket.form.reporter),
            when(v.ticket.submittedAt),
          ]),
        ),
    });
    filter.addEventListener('change', () => void list.reset());
    const mayWrite = signedInUser().permissions.includes('platform-tickets:write');
    const create = mayWrite
      ? actionButton(
          t('cases.platform.new'),
          async () => {
            const created = await newPlatformTicket();
            if (created) location.hash = `#/platform-tickets/${created.id}`;
          },
          { testId: 'new-platform-ticket' },
        )
      : null;
    container.append(
      h('div', { class: 'toolbar' }, h('h1', {}, t('cases.platform.listTitle')), filter, create),
      h('div', { class: 'list', id: 'platform-list' }, list.el),
    );
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
