import { badge, h } from '../dom.js';
import { formatCalendarDate, formatDeadline, t } from '../i18n.js';

/*
 * Platform tickets in the customer's words: where their BUG Feedback Form stands, never the
 * workflow's state names.
 */

/** @typedef {import('../api.js').PortalPlatformTicket} PortalPlatformTicket */
/** @typedef {PortalPlatformTicket['state']} PlatformState */
/** @typedef {PortalPlatformTicket['form']['severity']} Severity */
/** @typedef {import('../i18n.js').MessageKey} MessageKey */

/**
 * A short label and a sentence for each state (typed against the domain's states, so a new
 * state without words fails the type check).
 * @type {Record<PlatformState, { label: MessageKey, tone: string, sentence: MessageKey }>}
 */
const FEEDBACK_STATE_WORDS = {
  submitted: { label: 'portal.feedback.state.submitted', tone: 'warn', sentence: 'portal.feedback.state.submitted.sentence' },
  confirmed: { label: 'portal.feedback.state.confirmed', tone: 'info', sentence: 'portal.feedback.state.confirmed.sentence' },
  'out-of-scope': { label: 'portal.feedback.state.out-of-scope', tone: '', sentence: 'portal.feedback.state.out-of-scope.sentence' },
  repairing: { label: 'portal.feedback.state.repairing', tone: 'info', sentence: 'portal.feedback.state.repairing.sentence' },
  resolved: { label: 'portal.feedback.state.resolved', tone: 'ok', sentence: 'portal.feedback.state.resolved.sentence' },
  closed: { label: 'portal.feedback.state.closed', tone: '', sentence: 'portal.feedback.state.closed.sentence' },
};

/** @param {PlatformState} state */
export function feedbackStateBadge(state) {
  const w = FEEDBACK_STATE_WORDS[state];
  return badge(t(w.label), w.tone);
}

/** Where the report stands, in a sentence. @param {PlatformState} state */
export function feedbackSentence(state) {
  return t(FEEDBACK_STATE_WORDS[state].sentence);
}

/** @type {Record<Severity, MessageKey>} */
const SEVERITY_WORDS = {
  critical: 'portal.feedback.severity.critical',
  high: 'portal.feedback.severity.high',
  medium: 'portal.feedback.severity.medium',
  low: 'portal.feedback.severity.low',
};

/** The severities, most serious first, as the form offers them. */
export const SEVERITIES = /** @type {Severity[]} */ (Object.keys(SEVERITY_WORDS));

/** How serious a report is, in words. @param {Severity} severity */
export function severityWords(severity) {
  return t(SEVERITY_WORDS[severity]);
}

/** Why a report is not covered, with the seed's clause quoted. @param {NonNullable<PortalPlatformTicket['outOfScope']>} o */
export function outOfScopeWords(o) {
  const why =
    o.kind === 'maintenance-period-ended'
      ? t('portal.feedback.periodEnded', { date: formatCalendarDate(o.endedOn) })
      : t('portal.feedback.excluded', { clause: o.clauseNumber ?? '—' });
  return [h('p', {}, why), h('blockquote', { class: 'feedback-clause' }, o.clause)];
}

/** The agreed repair time in words. @param {NonNullable<PortalPlatformTicket['repair']>} r */
export function repairWords(r) {
  const at = formatDeadline(r.agreedBy);
  return r.round > 1 ? t('portal.feedback.repairRoundBy', { round: r.round, at }) : t('portal.feedback.repairBy', { at });
}
