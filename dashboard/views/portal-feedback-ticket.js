import { api, ApiError } from '../api.js';
import { data, h, when } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, formDialog, liveCountdown, tickCountdowns } from '../ui.js';
import { card, factList } from './case-words.js';
import { feedbackSentence, feedbackStateBadge, outOfScopeWords, repairWords, severityWords } from './portal-feedback-words.js';

/** @typedef {import('../api.js').PortalPlatformTicket} PortalPlatformTicket */
/** @typedef {import('../dom.js').Child} Child */

/** The BUG Feedback Form as sent: the customer's own words, shown as typed. @param {PortalPlatformTicket} report */
function formCard(report) {
  const f = report.form;
  return card(
    'feedback-form',
    t('portal.feedback.yourReport'),
    factList([
      [t('portal.feedback.project'), data(f.project)],
      [t('portal.feedback.reportedBy'), data(f.reporter)],
      [t('portal.feedback.contactShort'), data(f.contact)],
      [t('portal.feedback.howSerious'), severityWords(f.severity)],
      [t('portal.feedback.started'), when(f.occurredAt)],
      [t('portal.feedback.sent'), when(report.submittedAt)],
      [t('portal.feedback.description'), h('p', { class: 'platform-description', translate: 'no' }, f.description)],
    ]),
  );
}

/** What after-sales decided and did, in order; what people wrote is shown as typed. @param {PortalPlatformTicket} report */
function progressCard(report) {
  /** @param {string} text */
  const written = (text) => h('p', { class: 'platform-text', translate: 'no' }, text);
  /** @type {[string, Child | Child[]][]} */
  const pairs = [];
  if (report.confirmedAt !== null) {
    const at = when(report.confirmedAt);
    // The service's title is the server's (the support services' names), in the language api.js asks for.
    pairs.push([
      t('portal.feedback.covered'),
      report.service ? t('portal.feedback.confirmedUnder', { at, service: report.service.title }) : t('portal.feedback.confirmedAt', { at }),
    ]);
  }
  if (report.outOfScope) {
    pairs.push([t('portal.feedback.notCovered'), outOfScopeWords(report.outOfScope)]);
    if (report.outOfScope.solutionOffered) pairs.push([t('portal.feedback.solution'), written(report.outOfScope.solutionOffered)]);
  }
  if (report.repair) {
    pairs.push([t('portal.feedback.agreedRepair'), h('span', {}, repairWords(report.repair))]);
    if (report.state === 'repairing') pairs.push([t('portal.feedback.timeLeft'), liveCountdown(report.repair.agreedBy)]);
    pairs.push([t('portal.feedback.plannedFix'), written(report.repair.solution)]);
  }
  for (const r of report.reopenings) pairs.push([t('portal.feedback.saidNotFixed', { at: when(r.at) }), written(r.customerReport)]);
  if (report.resolution) pairs.push([t('portal.feedback.whatWasDone'), written(report.resolution.summary)]);
  if (report.closedAt !== null) pairs.push([t('portal.feedback.closedAt'), when(report.closedAt)]);
  const content = pairs.length === 0 ? h('p', { class: 'empty' }, t('portal.feedback.nothingDecided')) : factList(pairs);
  return card('feedback-progress', t('portal.feedback.progress'), content);
}

/**
 * The customer's answer to a repaired report: fixed closes it, not fixed (with what still
 * fails) starts another repair round.
 * @param {PortalPlatformTicket} report
 * @param {(report: PortalPlatformTicket) => void} show
 */
function answerCard(report, show) {
  const path = `/portal/platform-tickets/${report.id}`;
  const fixed = actionButton(
    t('portal.feedback.fixed'),
    async () => show(/** @type {PortalPlatformTicket} */ (await api(`${path}/confirm-fixed`, { method: 'POST' }))),
    { testId: 'confirm-fixed' },
  );
  const notFixed = actionButton(
    t('portal.feedback.notFixed'),
    async () => {
      const answer = await formDialog({
        title: t('portal.feedback.stillNotFixed'),
        intro: h('p', {}, t('portal.feedback.stillNotFixedIntro')),
        fields: [{ name: 'reason', label: t('portal.feedback.whatStillFails'), type: 'textarea', required: true, maxLength: 4000 }],
        submit: t('portal.feedback.send'),
        onSubmit: async (values) => /** @type {PortalPlatformTicket} */ (await api(`${path}/not-fixed`, { method: 'POST', body: values })),
      });
      if (answer) show(answer);
    },
    { tone: 'secondary', testId: 'not-fixed' },
  );
  return card('feedback-answer', t('portal.feedback.isFixed'), [
    h('p', {}, t('portal.feedback.pleaseCheck')),
    h('div', { class: 'moves' }, fixed, notFixed),
  ]);
}

/**
 * One of the organisation's platform reports: where it stands in words, the agreed repair
 * time, and when repaired, the customer's answer.
 * @type {import('../app.js').View}
 */
export const portalFeedbackTicketView = {
  get title() {
    return t('portal.feedback.ticketTitle');
  },
  channels: [],
  mount(container, [idText = '']) {
    const path = `/portal/platform-tickets/${encodeURIComponent(idText)}`;
    const state = h('span', { id: 'feedback-state' });
    const sentence = h('p', { id: 'feedback-sentence', class: 'feedback-sentence' });
    const body = h('div', { class: 'case-page' }, h('p', { class: 'muted' }, t('portal.feedback.loading')));
    container.append(
      h(
        'div',
        { class: 'toolbar' },
        h('a', { href: '#/portal/feedback' }, t('portal.feedback.back')),
        h('h1', {}, t('portal.feedback.heading', { id: idText })),
        state,
      ),
      sentence,
      body,
    );
    tickCountdowns(body);

    /** @param {PortalPlatformTicket} report */
    function show(report) {
      state.replaceChildren(feedbackStateBadge(report.state));
      sentence.textContent = feedbackSentence(report.state);
      body.replaceChildren(
        ...(report.mayAnswer ? [answerCard(report, show)] : []),
        h('div', { class: 'case-cards' }, progressCard(report), formCard(report)),
      );
    }

    return async () => {
      try {
        show(/** @type {PortalPlatformTicket} */ (await api(path)));
      } catch (err) {
        if (!(err instanceof ApiError && (err.code === 'PLATFORM_TICKET_NOT_FOUND' || err.code === 'VALIDATION_FAILED'))) throw err;
        body.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('portal.feedback.notFound', { id: idText })));
      }
    };
  },
};
