import { data, h, tNodes, when } from '../dom.js';
import { t } from '../i18n.js';
import { serverWords, standbyWords, stateWords } from './rma-words.js';
import { roleWords } from '../words.js';

/** @typedef {import('../api.js').TicketView} TicketView */
/** @typedef {TicketView['audit'][number]} AuditLine */
/** @typedef {import('../dom.js').Child} Child */
/** @typedef {import('../i18n.js').MessageKey} MessageKey */
/** @typedef {TicketView['ticket']['state']} RmaState */
/** @typedef {TicketView['ticket']['standby']['state']} StandbyState */

/** @param {AuditLine} a @returns {Child[]} */
function who(a) {
  if (a.actor === 'system') return [t('rma.audit.rules')];
  if (a.actor === 'diagnostics') return [t('rma.audit.diagnostics')];
  const role = typeof a.data?.role === 'string' && a.data.role !== 'system' ? a.data.role : null;
  if (!role) return [data(a.actor)];
  return tNodes('rma.audit.who', { actor: data(a.actor), role: roleWords(role) });
}

/** @param {string | null} state */
const stateName = (state) => (state ? stateWords(/** @type {RmaState} */ (state)) : '—');
/** @param {string | null} state */
const standbyName = (state) => (state ? standbyWords(/** @type {StandbyState} */ (state)) : '—');

/** @type {Record<string, MessageKey>} */
const OTHER_ACTIONS = {
  'parameter-restore': 'rma.audit.parameter-restore',
  'customer-remittance': 'rma.audit.customer-remittance',
};

/**
 * The reasons the server writes itself (rma-deadlines.ts, rma-parameter-restore.ts,
 * rma-standby.ts, the API's defaults in rma-routes.ts), matched whole, in the page's words.
 * @type {[RegExp, (m: RegExpMatchArray) => (Node | string)[]][]}
 */
const SERVER_REASONS = [
  [/^Seed: no decision within 5 working days of the Repair Report; postponed to the next maintenance cycle$/, () => [t('rma.reason.decisionRule')]],
  [/^Seed: no payment within 30 working days of the Repair Report; the product is returned unrepaired$/, () => [t('rma.reason.paymentRule')]],
  [
    /^Seed: repair not finished within the (\d+)-working-day repair cycle; standby equipment replaces the faulty box$/,
    (m) => [t('rma.reason.standbyRule', { days: Number(m[1]) })],
  ],
  [/^parameters restored from backup #(\d+) and verified$/, (m) => [t('rma.reason.restored', { id: m[1] ?? '' })]],
  [
    /^parameter restore from backup #(\d+) failed: (\d+) parameters differ$/,
    (m) => [t('rma.reason.restoreFailed', { id: m[1] ?? '', count: Number(m[2]) })],
  ],
  [/^parameter restore waived: (.+)$/s, (m) => tNodes('rma.reason.restoreWaived', { reason: data(m[1] ?? '') })],
  [/^Repair Report written$/, () => [t('rma.reason.reportWritten')]],
  [/^Repair Report sent; cost confirmation with the customer$/, () => [t('rma.reason.reportSent')]],
  [/^remittance received$/, () => [t('rma.reason.remittance')]],
  [/^customer shipped the box$/, () => [t('rma.reason.shipped')]],
  [/^shipped back to the customer$/, () => [t('rma.reason.shippedBack')]],
];

/** An audit line's reason: the server's own in the page's words, a person's as typed. @param {string} reason */
function reasonWords(reason) {
  for (const [pattern, words] of SERVER_REASONS) {
    const m = reason.match(pattern);
    if (m) return h('span', {}, words(m));
  }
  return data(reason);
}

/**
 * One audit line as a sentence, in the ticket's own words: who did what, and why. The why is
 * what the person typed (or the rules' own reason), shown as written.
 * @param {AuditLine} a
 * @param {(id: string) => string} exclusionTitle
 * @returns {Child[]}
 */
export function auditSentence(a, exclusionTitle) {
  const whoNode = h('span', {}, who(a));
  const why = a.reason ? tNodes('rma.why', { reason: reasonWords(a.reason) }) : [];
  if (a.action === 'opened') return [...tNodes('rma.audit.opened', { who: whoNode }), ...(a.reason === 'ticket opened' ? [] : why)];
  if (a.action === 'transition') return [...tNodes('rma.audit.moved', { who: whoNode, from: stateName(a.from), to: stateName(a.to) }), ...why];
  if (a.action === 'standby') {
    return [...tNodes('rma.audit.standby', { who: whoNode, from: standbyName(a.from), to: standbyName(a.to) }), ...why];
  }
  if (a.action.startsWith('exclusion-')) {
    const exclusion = typeof a.data?.exclusion === 'string' ? serverWords(exclusionTitle(a.data.exclusion)) : t('rma.audit.anExclusion');
    const decision = a.action.slice('exclusion-'.length);
    return [...tNodes('rma.audit.exclusion', { who: whoNode, exclusion, decision }), ...why];
  }
  const key = OTHER_ACTIONS[a.action];
  return [...tNodes('rma.audit.action', { who: whoNode, action: key ? t(key) : data(a.action) }), ...why];
}

/**
 * The full audit trail, newest last, as sentences with their time.
 * @param {TicketView} view
 */
export function auditTrail(view) {
  if (view.audit.length === 0) return h('p', { class: 'empty' }, t('rma.audit.none'));
  /** @param {string} id */
  const title = (id) => view.actions.exclusions.clauses.find((c) => c.id === id)?.title ?? id;
  return h(
    'ol',
    { class: 'rma-audit', id: 'ticket-audit' },
    view.audit.map((a) =>
      h('li', { class: 'rma-audit-line' }, h('time', { class: 'muted rma-audit-time' }, when(a.at)), h('span', {}, auditSentence(a, title))),
    ),
  );
}
