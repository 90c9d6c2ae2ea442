import { api, apiPage } from '../api.js';
import { badge, h, when } from '../dom.js';
import { currentLocale, t } from '../i18n.js';
import { actionButton, pagedList } from '../ui.js';
import { notificationKindWords } from '../words.js';

/** @typedef {import('../api.js').NotificationView} NotificationView */
/** @typedef {import('../api.js').NotificationList} NotificationList */

const PAGE_SIZE = 20;

/**
 * A notification's title and text in the page's language. The server keeps the English it wrote
 * when the notification was made (with the amount and the date, which the repair's own page shows
 * in either language); in Chinese the page words it from its kind and ticket.
 * @type {Record<NotificationView['kind'], { title: import('../i18n.js').MessageKey, text: import('../i18n.js').MessageKey }>}
 */
const NOTICE_WORDS = {
  'cost-to-confirm': { title: 'portal.notice.cost-to-confirm.title', text: 'portal.notice.cost-to-confirm.text' },
  'payment-due': { title: 'portal.notice.payment-due.title', text: 'portal.notice.payment-due.text' },
  'box-shipped-back': { title: 'portal.notice.box-shipped-back.title', text: 'portal.notice.box-shipped-back.text' },
  'feedback-reminder': { title: 'portal.notice.feedback-reminder.title', text: 'portal.notice.feedback-reminder.text' },
};

/** @param {NotificationView} n */
function noticeWords(n) {
  if (currentLocale() === 'en') return { title: n.title, text: n.text };
  const words = NOTICE_WORDS[n.kind];
  return { title: t(words.title, { id: n.subject.id }), text: t(words.text) };
}

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
        badge(notificationKindWords(n.kind), n.readAt === null ? 'warn' : ''),
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
      const words = noticeWords(n);
      el.append(head, h('h3', { class: 'notification-title' }, words.title), h('p', { class: 'notification-text' }, words.text), actions);
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
