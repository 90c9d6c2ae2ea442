import { api, ApiError } from '../api.js';
import { h, when } from '../dom.js';
import { actionButton, formDialog, liveCountdown, tickCountdowns } from '../ui.js';
import { card, factList } from './case-words.js';
import { FEEDBACK_STATE_WORDS, feedbackStateBadge, outOfScopeWords, repairWords, SEVERITY_WORDS } from './portal-feedback-words.js';

/** @typedef {import('../api.js').PortalPlatformTicket} PortalPlatformTicket */
/** @typedef {import('../dom.js').Child} Child */

/** @param {PortalPlatformTicket} t */
function formCard(t) {
  const f = t.form;
  return card(
    'feedback-form',
    'Your report',
    factList([
      ['Platform project', f.project],
      ['Reported by', f.reporter],
      ['Contact', f.contact],
      ['How serious', SEVERITY_WORDS[f.severity]],
      ['Started', when(f.occurredAt)],
      ['Sent', when(t.submittedAt)],
      ['What happens', h('p', { class: 'platform-description' }, f.description)],
    ]),
  );
}

/** What after-sales decided and did, in order. @param {PortalPlatformTicket} t */
function progressCard(t) {
  /** @type {[string, Child | Child[]][]} */
  const pairs = [];
  if (t.confirmedAt !== null) pairs.push(['Covered', `Confirmed ${when(t.confirmedAt)}${t.service ? ` under ${t.service.title}` : ''}`]);
  if (t.outOfScope) {
    pairs.push(['Not covered', outOfScopeWords(t.outOfScope)]);
    if (t.outOfScope.solutionOffered) pairs.push(['Suggested solution', h('p', { class: 'platform-text' }, t.outOfScope.solutionOffered)]);
  }
  if (t.repair) {
    pairs.push(['Agreed repair', h('span', {}, repairWords(t.repair))]);
    if (t.state === 'repairing') pairs.push(['Time left', liveCountdown(t.repair.agreedBy)]);
    pairs.push(['Planned fix', h('p', { class: 'platform-text' }, t.repair.solution)]);
  }
  for (const r of t.reopenings) pairs.push([`You said not fixed (${when(r.at)})`, h('p', { class: 'platform-text' }, r.customerReport)]);
  if (t.resolution) pairs.push(['What was done', h('p', { class: 'platform-text' }, t.resolution.summary)]);
  if (t.closedAt !== null) pairs.push(['Closed', when(t.closedAt)]);
  const content = pairs.length === 0 ? h('p', { class: 'empty' }, 'Nothing decided yet.') : factList(pairs);
  return card('feedback-progress', 'Progress', content);
}

/**
 * The customer's answer to a repaired report: fixed closes it, not fixed (with what still
 * fails) starts another repair round.
 * @param {PortalPlatformTicket} t
 * @param {(t: PortalPlatformTicket) => void} show
 */
function answerCard(t, show) {
  const path = `/portal/platform-tickets/${t.id}`;
  const fixed = actionButton(
    'Yes, it is fixed',
    async () => show(/** @type {PortalPlatformTicket} */ (await api(`${path}/confirm-fixed`, { method: 'POST' }))),
    { testId: 'confirm-fixed' },
  );
  const notFixed = actionButton(
    'No, it is not fixed',
    async () => {
      const answer = await formDialog({
        title: 'Still not fixed',
        intro: h('p', {}, 'Tell us what still fails; the repair starts again.'),
        fields: [{ name: 'reason', label: 'What still fails', type: 'textarea', required: true, maxLength: 4000 }],
        submit: 'Send',
        onSubmit: async (values) => /** @type {PortalPlatformTicket} */ (await api(`${path}/not-fixed`, { method: 'POST', body: values })),
      });
      if (answer) show(answer);
    },
    { tone: 'secondary', testId: 'not-fixed' },
  );
  return card('feedback-answer', 'Is it fixed?', [
    h('p', {}, 'Please check the platform and tell us.'),
    h('div', { class: 'moves' }, fixed, notFixed),
  ]);
}

/**
 * One of the organisation's platform reports: where it stands in words, the agreed repair
 * time, and when repaired, the customer's answer.
 * @type {import('../app.js').View}
 */
export const portalFeedbackTicketView = {
  title: 'Platform report',
  channels: [],
  mount(container, [idText = '']) {
    const path = `/portal/platform-tickets/${encodeURIComponent(idText)}`;
    const state = h('span', { id: 'feedback-state' });
    const sentence = h('p', { id: 'feedback-sentence', class: 'feedback-sentence' });
    const body = h('div', { class: 'case-page' }, h('p', { class: 'muted' }, 'Loading the report…'));
    container.append(
      h('div', { class: 'toolbar' }, h('a', { href: '#/portal/feedback' }, '← Platform feedback'), h('h1', {}, `Report #${idText}`), state),
      sentence,
      body,
    );
    tickCountdowns(body);

    /** @param {PortalPlatformTicket} t */
    function show(t) {
      state.replaceChildren(feedbackStateBadge(t.state));
      sentence.textContent = FEEDBACK_STATE_WORDS[t.state].sentence;
      body.replaceChildren(...(t.mayAnswer ? [answerCard(t, show)] : []), h('div', { class: 'case-cards' }, progressCard(t), formCard(t)));
    }

    return async () => {
      try {
        show(/** @type {PortalPlatformTicket} */ (await api(path)));
      } catch (err) {
        if (!(err instanceof ApiError && (err.code === 'PLATFORM_TICKET_NOT_FOUND' || err.code === 'VALIDATION_FAILED'))) throw err;
        body.replaceChildren(h('p', { class: 'error', role: 'alert' }, `There is no report #${idText} of your organisation.`));
      }
    };
  },
};
