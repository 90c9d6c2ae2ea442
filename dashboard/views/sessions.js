import { apiPage } from '../api.js';
import { data, h, table, when } from '../dom.js';
import { t } from '../i18n.js';
import { pagedList } from '../ui.js';
import { deviceHref } from './fleet.js';
import { stateBadge } from './session-words.js';
import { sessionHref } from './session-open.js';
import { queueWords } from '../words.js';

/** @typedef {import('../api.js').SessionView} SessionView */

const PAGE_SIZE = 50;
// contract/serial.ts: the API filters by whole serials only.
const SERIAL = /^[A-Z0-9]{6,23}$/;

/** The list out of a page's body: an array (older form) or an object with the sessions. @param {unknown} data @returns {SessionView[]} */
function sessionsIn(data) {
  if (Array.isArray(data)) return data;
  const body = /** @type {{ sessions?: SessionView[], items?: SessionView[] } | null} */ (data);
  return body?.sessions ?? body?.items ?? [];
}

/** @param {SessionView[]} sessions */
function sessionTable(sessions) {
  return table(
    [
      t('sessions.col.session'),
      t('sessions.col.box'),
      t('sessions.col.state'),
      t('sessions.col.queue'),
      t('sessions.col.requested'),
      t('sessions.col.ticket'),
    ],
    sessions.map((s) => [
      h('a', { class: 'row-link', href: sessionHref(s.id) }, `#${s.id}`),
      h('a', { class: 'mono', href: deviceHref(s.serial) }, s.serial),
      stateBadge(s),
      queueWords(s.queue),
      h('span', {}, `${when(s.requestedAt)} · `, data(s.requestedBy)),
      s.ticketId === null ? '—' : h('a', { href: `#/tickets/${s.ticketId}` }, `#${s.ticketId}`),
    ]),
  );
}

/**
 * Remote-guidance sessions, newest first, filtered by state and box by the server and paged;
 * a session opening, starting or ending (the `sessions` channel) reloads the list.
 * @type {import('../app.js').View}
 */
export const sessionsView = {
  get title() {
    return t('sessions.title');
  },
  channels: ['sessions'],
  mount(container) {
    const state = h(
      'select',
      { id: 'sessions-state', 'aria-label': t('sessions.filter.state') },
      [
        ['', t('sessions.filter.everyState')],
        ['queued', t('sessions.state.queued')],
        ['active', t('sessions.state.active')],
        ['ended', t('sessions.state.ended')],
      ].map(([value, label]) => h('option', { value }, label)),
    );
    const serial = h('input', {
      type: 'search',
      id: 'sessions-serial',
      placeholder: t('sessions.filter.serial'),
      'aria-label': t('sessions.filter.serial'),
      maxlength: 23,
    });
    const hint = h('span', { class: 'error inline', role: 'alert' });
    const list = pagedList({
      empty: t('sessions.empty'),
      render: (items) => sessionTable(/** @type {SessionView[]} */ (items)),
      async fetchPage(cursor) {
        const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
        if (state.value) query.set('state', state.value);
        const sn = serial.value.trim().toUpperCase();
        if (sn) query.set('serial', sn);
        const page = await apiPage(`/sessions?${query}`, cursor);
        return { items: sessionsIn(page.data), next: page.next };
      },
    });
    const apply = () => {
      const sn = serial.value.trim().toUpperCase();
      hint.textContent = sn === '' || SERIAL.test(sn) ? '' : t('sessions.filter.badSerial', { example: 'MTB2411000123' });
      if (!hint.textContent) void list.reset();
    };
    state.addEventListener('change', apply);
    serial.addEventListener('change', apply);
    // A click anywhere on a row opens the session, as its link does.
    list.el.addEventListener('click', (e) => {
      const target = /** @type {Element} */ (e.target);
      const link = target.closest('tr')?.querySelector('a.row-link');
      if (link && !target.closest('a')) location.hash = /** @type {string} */ (link.getAttribute('href'));
    });
    container.append(h('div', { class: 'toolbar' }, h('h1', {}, t('sessions.heading')), state, serial, hint), list.el);
    return () => list.reset();
  },
};
