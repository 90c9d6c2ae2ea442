import { badge, h, when } from '../dom.js';

/*
 * Platform tickets in the customer's words: where their BUG Feedback Form stands, never the
 * workflow's state names.
 */

/** @typedef {import('../api.js').PortalPlatformTicket} PortalPlatformTicket */
/** @typedef {PortalPlatformTicket['state']} PlatformState */

/**
 * A short label and a sentence for each state (typed against the domain's states, so a new
 * state without words fails the type check).
 * @type {Record<PlatformState, { label: string, tone: string, sentence: string }>}
 */
export const FEEDBACK_STATE_WORDS = {
  submitted: { label: 'Received', tone: 'warn', sentence: 'We received your report. After-sales checks whether platform maintenance covers it.' },
  confirmed: { label: 'Confirmed', tone: 'info', sentence: 'Platform maintenance covers it. A repair time is being agreed with you.' },
  'out-of-scope': { label: 'Not covered', tone: '', sentence: 'Platform maintenance does not cover this problem, for the reason below.' },
  repairing: { label: 'Being repaired', tone: 'info', sentence: 'The repair is under way, to be done by the agreed time.' },
  resolved: { label: 'Repaired: please confirm', tone: 'ok', sentence: 'We have repaired it. Please tell us whether it is fixed.' },
  closed: { label: 'Closed', tone: '', sentence: 'This report is closed.' },
};

/** @param {PlatformState} state */
export function feedbackStateBadge(state) {
  const w = FEEDBACK_STATE_WORDS[state];
  return badge(w.label, w.tone);
}

/** @type {Record<PortalPlatformTicket['form']['severity'], string>} */
export const SEVERITY_WORDS = {
  critical: 'Critical: the platform cannot be used',
  high: 'High: an important function fails',
  medium: 'Medium: a function fails, with a workaround',
  low: 'Low: a minor problem',
};

/** Why a report is not covered, with the seed's clause quoted. @param {NonNullable<PortalPlatformTicket['outOfScope']>} o */
export function outOfScopeWords(o) {
  const why =
    o.kind === 'maintenance-period-ended'
      ? `The maintenance period ended on ${o.endedOn ?? '—'}, before the problem occurred.`
      : `It falls under exclusion clause ${o.clauseNumber ?? '—'} of platform maintenance.`;
  return [h('p', {}, why), h('blockquote', { class: 'feedback-clause' }, o.clause)];
}

/** The agreed repair time in words. @param {NonNullable<PortalPlatformTicket['repair']>} r */
export function repairWords(r) {
  return `${r.round > 1 ? `Repair round ${r.round}, to` : 'To'} be done by ${when(r.agreedBy)}`;
}
