import { t } from './i18n.js';

/*
 * The domain's shared vocabulary in words: roles (also the audiences of ticket notices), the
 * severities a box reports, the kinds of customer notifications and the support queues. One
 * table each, typed against the backend's lists, for every page that names them; the key maps
 * are exported for the live feed, which fills its lines from maps of keys.
 */

/** @typedef {import('./i18n.js').MessageKey} MessageKey */
/** @typedef {import('../services/kernel/roles.ts').Role} Role */

/** @type {Record<Role, MessageKey>} */
export const ROLE_KEYS = {
  admin: 'common.role.admin',
  engineer: 'common.role.engineer',
  'after-sales': 'common.role.after-sales',
  technician: 'common.role.technician',
  customer: 'common.role.customer',
};

/**
 * A role (or a notice's audience, which names a role) in words; none is a dash, a role newer
 * than this page as the server names it.
 * @param {string | null | undefined} role
 */
export function roleWords(role) {
  if (!role) return '—';
  return Object.hasOwn(ROLE_KEYS, role) ? t(ROLE_KEYS[/** @type {Role} */ (role)]) : role;
}

/** @type {Record<import('../services/contract/payloads.ts').Severity, MessageKey>} */
export const SEVERITY_KEYS = {
  info: 'common.severity.info',
  warning: 'common.severity.warning',
  error: 'common.severity.error',
  critical: 'common.severity.critical',
};

/** A severity a box reported (the MQTT contract), in words. @param {import('../services/contract/payloads.ts').Severity} severity */
export function severityWords(severity) {
  return t(SEVERITY_KEYS[severity]);
}

/** @type {Record<import('./api.js').NotificationView['kind'], MessageKey>} */
const NOTIFICATION_KIND_KEYS = {
  'cost-to-confirm': 'common.notificationKind.cost-to-confirm',
  'payment-due': 'common.notificationKind.payment-due',
  'box-shipped-back': 'common.notificationKind.box-shipped-back',
  'feedback-reminder': 'common.notificationKind.feedback-reminder',
};

/** What a customer notification is about, in words; a kind newer than this page in general words. @param {string} kind */
export function notificationKindWords(kind) {
  return Object.hasOwn(NOTIFICATION_KIND_KEYS, kind)
    ? t(NOTIFICATION_KIND_KEYS[/** @type {keyof typeof NOTIFICATION_KIND_KEYS} */ (kind)])
    : t('common.notificationKind.other');
}

/** @type {Record<import('../services/kernel/support-queue.ts').SupportQueue, MessageKey>} */
const QUEUE_KEYS = { industry: 'common.queue.industry', logistics: 'common.queue.logistics', general: 'common.queue.general' };

/** A support queue in words; a queue newer than this page as the server names it. @param {string} queue */
export function queueWords(queue) {
  return Object.hasOwn(QUEUE_KEYS, queue) ? t(QUEUE_KEYS[/** @type {keyof typeof QUEUE_KEYS} */ (queue)]) : queue;
}
