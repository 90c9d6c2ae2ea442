import { badge, h, when } from '../dom.js';
import { stateWords } from './case-words.js';

/*
 * Words for MTIC platform maintenance tickets: scope clauses, severities, notifications.
 */

/** @typedef {import('../api.js').PlatformTicketView} PlatformTicketView */
/** @typedef {PlatformTicketView['ticket']} PlatformTicket */
/** @typedef {PlatformTicketView['notifications'][number]} PlatformNotification */
/** @typedef {import('../../services/after-sales/platform-tickets/domain/platform-ticket.ts').PlatformExclusion} PlatformExclusion */

export const PLATFORM_STATES = /** @type {const} */ (['submitted', 'confirmed', 'out-of-scope', 'repairing', 'resolved', 'closed']);

/**
 * The seed's clauses of what platform maintenance does not cover (typed against the domain's
 * codes, so a new clause without words fails the type check).
 * @type {Record<PlatformExclusion, string>}
 */
export const EXCLUSION_WORDS = {
  'self-installed-software': "Clause 1: the customer's own software installation or system configuration",
  'network-maintenance': 'Clause 2: network equipment maintenance or Internet blocking',
  'hacker-virus-telecom': 'Clause 3: hackers, viruses or technical adjustments of telecom departments',
  'illegal-operation-third-party': 'Clause 4: illegal operation, virus infection, or failure of third-party products or networks',
};

/** @typedef {import('../../services/after-sales/platform-tickets/domain/platform-ticket.ts').MaintenanceService} MaintenanceService */

/**
 * The seed's platform services a confirmed report may fall under, by clause and in the seed's
 * words (typed against the domain's codes, so a new service without words fails the type check).
 * @type {Record<MaintenanceService, string>}
 */
export const SERVICE_WORDS = {
  'remote-technical-support':
    'Clause 2, Remote technical support: system bugs, the software provided (tomcat, nginx, mysql, phpstudy…), CPU, memory, disk utilization',
  'reload-deployment':
    'Clause 3, Reload Deployment: for problems caused by hardware or system, software reinstallation and deployment (system reinstallation)',
  database: 'Clause 5, Database: export backup, import update, the normal operation of the database background',
  'server-hosting': 'Clause 6, Server Hosting: ECS operation and maintenance, daily data backup',
};

/** @param {PlatformTicket['form']['severity']} s */
export function severityBadge(s) {
  return badge(s, s === 'critical' || s === 'high' ? 'bad' : s === 'medium' ? 'warn' : 'info');
}

/** @param {PlatformTicket['state']} state */
export function platformStateBadge(state) {
  const tone = state === 'submitted' ? 'warn' : state === 'repairing' || state === 'confirmed' ? 'info' : state === 'resolved' ? 'ok' : '';
  return badge(stateWords(state), tone);
}

/** @param {NonNullable<PlatformTicket['outOfScope']>['basis']} basis */
export function basisWords(basis) {
  return basis.kind === 'exclusion' ? EXCLUSION_WORDS[basis.exclusion] : `The maintenance period ended on ${basis.endedOn}.`;
}

/** @type {Record<PlatformNotification['audience'], string>} */
const AUDIENCE = { customer: 'The customer', 'after-sales': 'After-sales', engineer: 'The engineers' };

/** What a notification told whom, in words. @param {PlatformNotification} n */
function notificationWords(n) {
  const d = n.details;
  const at = (/** @type {unknown} */ v) => (typeof v === 'number' ? when(v) : '—');
  switch (n.topic) {
    case 'confirmed': {
      const service = /** @type {MaintenanceService | undefined} */ (d.service);
      return `was told the report is within the maintenance scope${service && SERVICE_WORDS[service] ? ` (${SERVICE_WORDS[service]})` : ''}.`;
    }
    case 'out-of-scope': {
      const basis = /** @type {Parameters<typeof basisWords>[0] | undefined} */ (d.basis);
      return `was told it is not covered: ${basis ? basisWords(basis) : 'see the scope decision'}.`;
    }
    case 'repair-scheduled':
      return `was told the repair is agreed for ${at(d.agreedBy)}.`;
    case 'resolved':
      return 'was asked to confirm the repair.';
    case 'repair-overdue':
      return `was told the repair agreed for ${at(d.agreedBy)} is late.`;
    default:
      return String(n.topic);
  }
}

/** The notifications, oldest first. @param {readonly PlatformNotification[]} list */
export function notificationList(list) {
  if (list.length === 0) return h('p', { class: 'empty' }, 'No one has been notified yet.');
  return h(
    'ol',
    { class: 'audit-trail' },
    [...list]
      .sort((a, b) => a.at - b.at)
      .map((n) =>
        h('li', { class: 'audit-line' }, h('time', { class: 'muted' }, when(n.at)), h('div', {}, `${AUDIENCE[n.audience]} ${notificationWords(n)}`)),
      ),
  );
}

/** A `datetime-local` value for an instant, in the browser's time zone, to the minute. @param {number} ms */
export function localInput(ms) {
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
