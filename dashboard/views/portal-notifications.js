import { api, apiPage } from '../api.js';
import { badge, h, when } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, pagedList } from '../ui.js';

/** @typedef {import('../api.js').NotificationView} NotificationView */
/** @typedef {import('../api.js').NotificationList} NotificationList */

const PAGE_SIZE = 20;

/** What each notification is about, in the customer's words (the API's `kind`). @type {Record<NotificationView['kind'], import('../i18n.js').MessageKey>} */
const KIND_WORDS = {
  'cost-to-confirm': 'portal.notifications.kind.cost-to-confirm',
  'payment-due': 'portal.notifications.kind.payment-due',
  'box-shipped-back': 'portal.notifications.kind.box-shipped-back',
  'feedback-reminder': 'portal.notifications.kind.feedback-reminder',
};

/** Where a notification's ticket is shown in the portal, in words. @param {NotificationView['subject']} subject */
function subjectLink(subject) {
  return subject.kind === 'rma'
    ? h('a', { href: `#/portal/tickets/${subject.id}` }, t('portal.notifications.openRepair'))
    : h('a', { href: `#/portal/feedback/${subject.id}` }, t('portal.notifications.openReport'));
}

/**
 * The customer's notifications: what needs their action, newest first, unread ones marked,
 * each linking to its repair or platform report.
 * @type {import('../app.js').View}
 */
export const portalNotificationsView = {
  get title() {
    return t('portal.notifications.title');
  },
  channels: [],
  mount(container) {
    const unreadCount = h('span', { class: 'muted', 'data-testid': 'unread-count' });
    let unread = 0;
    const showUnread = () => {
      unreadCount.textContent = unread === 0 ? t('portal.notifications.allRead') : t('portal.notifications.unread', { count: unread });
    };

    /** @param {NotificationView} n */
    function item(n) {
      const el = h('li', { class: n.readAt === null ? 'notification unread' : 'notification', 'data-testid': 'notification' });
      const head = h(
        'div',
        { class: 'notification-head' },
        badge(t(KIND_WORDS[n.kind]), n.readAt === null ? 'warn' : ''),
        h('span', { class: 'muted' }, when(n.createdAt)),
      );
      const actions = h('div', { class: 'notification-actions' }, subjectLink(n.subject));
      if (n.readAt === null) {
        const mark = actionButton(
          t('portal.notifications.markRead'),
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
      // Title and text are the server's words, written when the notification was made.
      el.append(head, h('h3', { class: 'notification-title' }, n.title), h('p', { class: 'notification-text' }, n.text), actions);
      return el;
    }

    const list = pagedList({
      empty: t('portal.notifications.empty'),
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
      h('section', { class: 'card' }, h('h2', {}, t('portal.notifications.heading'), h('span', { class: 'card-tools' }, unreadCount)), list.el),
    );
    return () => list.reset();
  },
};
