import { badge, data, h, tNodes, when } from '../dom.js';
import { formatCalendarDate, formatDeadline, t } from '../i18n.js';
import { fragment, stateWords } from './case-words.js';

/*
 * Words for MTIC platform maintenance tickets: scope clauses, severities, notifications.
 */

/** @typedef {import('../api.js').PlatformTicketView} PlatformTicketView */
/** @typedef {PlatformTicketView['ticket']} PlatformTicket */
/** @typedef {PlatformTicketView['notifications'][number]} PlatformNotification */
/** @typedef {import('../../services/after-sales/platform-tickets/domain/platform-ticket.ts').PlatformExclusion} PlatformExclusion */
/** @typedef {import('../i18n.js').MessageKey} MessageKey */
/** @typedef {import('../dom.js').Child} Child */

export const PLATFORM_STATES = /** @type {const} */ (['submitted', 'confirmed', 'out-of-scope', 'repairing', 'resolved', 'closed']);

/**
 * The seed's clauses of what platform maintenance does not cover (typed against the domain's
 * codes, so a new clause without words fails the type check).
 * @type {Record<PlatformExclusion, MessageKey>}
 */
export const EXCLUSION_WORDS = {
  'self-installed-software': 'cases.exclusion.self-installed-software',
  'network-maintenance': 'cases.exclusion.network-maintenance',
  'hacker-virus-telecom': 'cases.exclusion.hacker-virus-telecom',
  'illegal-operation-third-party': 'cases.exclusion.illegal-operation-third-party',
};

/** @typedef {import('../../services/after-sales/platform-tickets/domain/platform-ticket.ts').MaintenanceService} MaintenanceService */

/**
 * The seed's platform services a confirmed report may fall under, by clause and in the seed's
 * words (typed against the domain's codes, so a new service without words fails the type check).
 * @type {Record<MaintenanceService, MessageKey>}
 */
export const SERVICE_WORDS = {
  'remote-technical-support': 'cases.service.remote-technical-support',
  'reload-deployment': 'cases.service.reload-deployment',
  database: 'cases.service.database',
  'server-hosting': 'cases.service.server-hosting',
};

// The software products the seed's remote-support clause names: product names, in any language.
const SUPPORTED_SOFTWARE = 'tomcat, nginx, mysql, phpstudy…';

/** A platform service as plain text (a select's option). @param {MaintenanceService} service */
export function serviceText(service) {
  return t(SERVICE_WORDS[service], { software: SUPPORTED_SOFTWARE });
}

/** A platform service for the page, the product names it lists kept as names. @param {MaintenanceService} service */
export function serviceWords(service) {
  return fragment(tNodes(SERVICE_WORDS[service], { software: data(SUPPORTED_SOFTWARE) }));
}

/** @type {Record<PlatformTicket['form']['severity'], MessageKey>} */
export const SEVERITY_WORDS = {
  critical: 'cases.severity.critical',
  high: 'cases.severity.high',
  medium: 'cases.severity.medium',
  low: 'cases.severity.low',
};

/** @param {PlatformTicket['form']['severity']} s */
export function severityBadge(s) {
  return badge(t(SEVERITY_WORDS[s]), s === 'critical' || s === 'high' ? 'bad' : s === 'medium' ? 'warn' : 'info');
}

/** @param {PlatformTicket['state']} state */
export function platformStateBadge(state) {
  const tone = state === 'submitted' ? 'warn' : state === 'repairing' || state === 'confirmed' ? 'info' : state === 'resolved' ? 'ok' : '';
  return badge(stateWords(state), tone);
}

/** @param {NonNullable<PlatformTicket['outOfScope']>['basis']} basis */
export function basisWords(basis) {
  return basis.kind === 'exclusion'
    ? t(EXCLUSION_WORDS[basis.exclusion])
    : t('cases.platform.periodEnded', { date: formatCalendarDate(basis.endedOn) });
}

/** @type {Record<PlatformNotification['audience'], MessageKey>} */
const AUDIENCE = { customer: 'cases.audience.customer', 'after-sales': 'cases.audience.after-sales', engineer: 'cases.audience.engineer' };

/** What a notification told whom, in words. @param {PlatformNotification} n @returns {Child[]} */
function notificationWords(n) {
  const d = n.details;
  const audience = t(AUDIENCE[n.audience]);
  // The agreed repair time is a deadline: shown with its zone.
  const at = (/** @type {unknown} */ v) => (typeof v === 'number' ? formatDeadline(v) : '—');
  switch (n.topic) {
    case 'confirmed': {
      const service = /** @type {MaintenanceService | undefined} */ (d.service);
      return service && SERVICE_WORDS[service]
        ? tNodes('cases.notify.confirmedService', { audience, service: serviceWords(service) })
        : [t('cases.notify.confirmed', { audience })];
    }
    case 'out-of-scope': {
      const basis = /** @type {Parameters<typeof basisWords>[0] | undefined} */ (d.basis);
      return [t('cases.notify.outOfScope', { audience, basis: basis ? basisWords(basis) : t('cases.notify.seeScope') })];
    }
    case 'repair-scheduled':
      return [t('cases.notify.repairScheduled', { audience, at: at(d.agreedBy) })];
    case 'resolved':
      return [t('cases.notify.resolved', { audience })];
    case 'repair-overdue':
      return [t('cases.notify.overdue', { audience, at: at(d.agreedBy) })];
    default:
      return tNodes('cases.notify.other', { audience, topic: data(String(n.topic)) });
  }
}

/** The notifications, oldest first. @param {readonly PlatformNotification[]} list */
export function notificationList(list) {
  if (list.length === 0) return h('p', { class: 'empty' }, t('cases.platform.noNotifications'));
  return h(
    'ol',
    { class: 'audit-trail' },
    [...list]
      .sort((a, b) => a.at - b.at)
      .map((n) => h('li', { class: 'audit-line' }, h('time', { class: 'muted' }, when(n.at)), h('div', {}, notificationWords(n)))),
  );
}
