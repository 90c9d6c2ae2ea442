import { api, apiPage } from '../api.js';
import { data, h, tNodes, when } from '../dom.js';
import { t, toDateTimeInput } from '../i18n.js';
import { actionButton, formDialog, pagedList } from '../ui.js';
import { feedbackSentence, feedbackStateBadge, SEVERITIES, severityWords } from './portal-feedback-words.js';

/** @typedef {import('../api.js').PortalPlatformTicket} PortalPlatformTicket */
/** @typedef {import('../api.js').PortalPlatformPage} PortalPlatformPage */
/** @typedef {import('../api.js').PortalFormDefaults} PortalFormDefaults */

const PAGE_SIZE = 20;

/**
 * The seed's BUG Feedback Form for the MTIC cloud platform, started from the organisation and
 * the account; answers the new report, or null if cancelled.
 * @returns {Promise<PortalPlatformTicket | null>}
 */
export async function bugFeedbackForm() {
  const defaults = /** @type {PortalFormDefaults} */ (await api('/portal/platform-tickets/form-defaults'));
  return formDialog({
    title: t('portal.feedback.formTitle'),
    intro: h('p', { class: 'muted' }, t('portal.feedback.formIntro')),
    fields: [
      { name: 'project', label: t('portal.feedback.project'), required: true, maxLength: 200, value: defaults.project },
      { name: 'reporter', label: t('portal.feedback.reporter'), required: true, maxLength: 200, value: defaults.reporter },
      { name: 'contact', label: t('portal.feedback.contact'), required: true, maxLength: 200, value: defaults.contact },
      { name: 'description', label: t('portal.feedback.description'), type: 'textarea', required: true, maxLength: 8000 },
      {
        name: 'severity',
        label: t('portal.feedback.severity'),
        type: 'select',
        required: true,
        value: 'medium',
        options: SEVERITIES.map((s) => ({ value: s, label: severityWords(s) })),
      },
      { name: 'occurredAt', label: t('portal.feedback.occurredAt'), type: 'datetime', required: true, value: toDateTimeInput(Date.now()) },
    ],
    submit: t('portal.feedback.submit'),
    onSubmit: async (form) => /** @type {PortalPlatformTicket} */ (await api('/portal/platform-tickets', { method: 'POST', body: { form } })),
  });
}

/** One report as a list item: project, where it stands in words, when it was sent. @param {PortalPlatformTicket} report */
function feedbackItem(report) {
  return h(
    'li',
    { class: 'feedback-item', 'data-ticket': report.id },
    h(
      'a',
      { class: 'row-link feedback-link', href: `#/portal/feedback/${report.id}` },
      h('span', { class: 'feedback-title' }, tNodes('portal.feedback.item', { id: report.id, project: data(report.form.project) })),
      feedbackStateBadge(report.state),
    ),
    h('p', { class: 'feedback-sentence' }, feedbackSentence(report.state)),
    h('p', { class: 'muted' }, tNodes('portal.feedback.sentBy', { at: when(report.submittedAt), reporter: data(report.form.reporter) })),
  );
}

/**
 * The organisation's reports about the MTIC cloud platform, newest first, each in words; the
 * BUG Feedback Form opens from here.
 * @type {import('../app.js').View}
 */
export const portalFeedbackView = {
  get title() {
    return t('portal.feedback.title');
  },
  channels: [],
  mount(container) {
    const list = pagedList({
      empty: t('portal.feedback.empty'),
      async fetchPage(cursor) {
        const { data, next } = await apiPage(`/portal/platform-tickets?limit=${PAGE_SIZE}`, cursor);
        return { items: /** @type {PortalPlatformPage} */ (data).tickets, next };
      },
      /** @param {PortalPlatformTicket[]} tickets */
      render: (tickets) => h('ul', { class: 'feedback-list plain-list' }, tickets.map(feedbackItem)),
    });
    const report = actionButton(
      t('portal.feedback.new'),
      async () => {
        const created = await bugFeedbackForm();
        if (created) location.hash = `#/portal/feedback/${created.id}`;
      },
      { testId: 'new-feedback' },
    );
    container.append(
      h('div', { class: 'toolbar' }, h('h1', {}, t('portal.feedback.title')), report),
      // The platform's names are names, in both languages.
      h('p', { class: 'muted' }, tNodes('portal.feedback.intro', { platform: data('MTIC'), pms: data('PMS') })),
      h('div', { class: 'list' }, list.el),
    );
    return () => list.reset();
  },
};
