import { api, apiPage } from '../api.js';
import { badge, h, when } from '../dom.js';
import { actionButton, pagedList } from '../ui.js';
import { NOTIFICATION_KIND_WORDS } from './webhook-panel.js';

/** @typedef {import('../api.js').NotificationView} NotificationView */
/** @typedef {import('../api.js').NotificationList} NotificationList */

const PAGE_SIZE = 20;

/** Where a notification's ticket is shown in the portal, in words. @param {NotificationView['subject']} subject */
function subjectLink(subject) {
  return subject.kind === 'rma'
    ? h('a', { href: `#/portal/tickets/${subject.id}` }, 'Open the repair')
    : h('a', { href: `#/portal/feedback/${subject.id}` }, 'Open the report');
}

/**
 * The customer's notifications: what needs their action, newest first, unread ones marked,
 * each linking to its repair or platform report.
 * @type {import('../app.js').View}
 */
export const portalNotificationsView = {
  title: 'Notifications',
  channels: [],
  mount(container) {
    const unreadCount = h('span', { class: 'muted', 'data-testid': 'unread-count' });
    let unread = 0;
    const showUnread = () => {
      unreadCount.textContent = unread === 0 ? 'All read' : `${unread} unread`;
    };

    /** @param {NotificationView} n */
    function item(n) {
      const el = h('li', { class: n.readAt === null ? 'notification unread' : 'notification', 'data-testid': 'notification' });
      const head = h(
        'div',
        { class: 'notification-head' },
        badge(NOTIFICATION_KIND_WORDS[n.kind], n.readAt === null ? 'warn' : ''),
        h('span', { class: 'muted' }, when(n.createdAt)),
      );
      const actions = h('div', { class: 'notification-actions' }, subjectLink(n.subject));
      if (n.readAt === null) {
        const mark = actionButton(
          'Mark read',
          async () => {
            const read = /** @type {NotificationView} */ (await api(`/portal/notifications/${n.id}/read`, { method: 'POST' }));
            el.replaceWith(item(read));
            unread = Math.max(0, unread - 1);
            showUnread();
          },
          { tone: 'secondary' },
        );
        actions.append(mark);
      }
      el.append(head, h('h3', { class: 'notification-title' }, n.title), h('p', { class: 'notification-text' }, n.text), actions);
      return el;
    }

    const list = pagedList({
      empty:
        'Nothing needs your action. When a repair cost waits for your answer, a payment is due or a box is on its way back, you will find it here.',
      async fetchPage(cursor) {
        const { data, next } = await apiPage(`/portal/notifications?limit=${PAGE_SIZE}`, cursor);
        const page = /** @type {NotificationList} */ (data);
        unread = page.unread;
        showUnread();
        return { items: page.notifications, next };
      },
      render: (items) => h('ul', { class: 'notifications' }, items.map(item)),
    });
    container.append(
      h('section', { class: 'card' }, h('h2', {}, 'What needs your action', h('span', { class: 'card-tools' }, unreadCount)), list.el),
    );
    return () => list.reset();
  },
};
