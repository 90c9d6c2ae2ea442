import { api, apiPage } from '../api.js';
import { h, when } from '../dom.js';
import { actionButton, formDialog, pagedList } from '../ui.js';
import { FEEDBACK_STATE_WORDS, feedbackStateBadge, SEVERITY_WORDS } from './portal-feedback-words.js';
import { localInput } from './platform-words.js';

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
  const severities = /** @type {(keyof typeof SEVERITY_WORDS)[]} */ (Object.keys(SEVERITY_WORDS));
  return formDialog({
    title: 'BUG Feedback Form',
    intro: h('p', { class: 'muted' }, 'Describe the fault as it appears: what you did, what you saw, and since when.'),
    fields: [
      { name: 'project', label: 'Platform project', required: true, maxLength: 200, value: defaults.project },
      { name: 'reporter', label: 'Your name', required: true, maxLength: 200, value: defaults.reporter },
      { name: 'contact', label: 'Phone or e-mail', required: true, maxLength: 200, value: defaults.contact },
      { name: 'description', label: 'What happens', type: 'textarea', required: true, maxLength: 8000 },
      {
        name: 'severity',
        label: 'How serious is it?',
        type: 'select',
        required: true,
        value: 'medium',
        options: severities.map((s) => ({ value: s, label: SEVERITY_WORDS[s] })),
      },
      { name: 'occurredAt', label: 'When did it start?', type: 'datetime', required: true, value: localInput(Date.now()) },
    ],
    submit: 'Send the report',
    onSubmit: async (form) => /** @type {PortalPlatformTicket} */ (await api('/portal/platform-tickets', { method: 'POST', body: { form } })),
  });
}

/** One report as a list item: project, where it stands in words, when it was sent. @param {PortalPlatformTicket} t */
function feedbackItem(t) {
  return h(
    'li',
    { class: 'feedback-item', 'data-ticket': t.id },
    h(
      'a',
      { class: 'row-link feedback-link', href: `#/portal/feedback/${t.id}` },
      h('span', { class: 'feedback-title' }, `Report #${t.id}: ${t.form.project}`),
      feedbackStateBadge(t.state),
    ),
    h('p', { class: 'feedback-sentence' }, FEEDBACK_STATE_WORDS[t.state].sentence),
    h('p', { class: 'muted' }, `Sent ${when(t.submittedAt)} by ${t.form.reporter}`),
  );
}

/**
 * The organisation's reports about the MTIC cloud platform, newest first, each in words; the
 * BUG Feedback Form opens from here.
 * @type {import('../app.js').View}
 */
export const portalFeedbackView = {
  title: 'Platform feedback',
  channels: [],
  mount(container) {
    const list = pagedList({
      empty: 'You have not reported any platform problem yet.',
      async fetchPage(cursor) {
        const { data, next } = await apiPage(`/portal/platform-tickets?limit=${PAGE_SIZE}`, cursor);
        return { items: /** @type {PortalPlatformPage} */ (data).tickets, next };
      },
      /** @param {PortalPlatformTicket[]} tickets */
      render: (tickets) => h('ul', { class: 'feedback-list plain-list' }, tickets.map(feedbackItem)),
    });
    const report = actionButton(
      'Report a platform problem',
      async () => {
        const created = await bugFeedbackForm();
        if (created) location.hash = `#/portal/feedback/${created.id}`;
      },
      { testId: 'new-feedback' },
    );
    container.append(
      h('div', { class: 'toolbar' }, h('h1', {}, 'Platform feedback'), report),
      h('p', { class: 'muted' }, 'Problems with the MTIC cloud platform (PMS): report them here and follow the repair.'),
      h('div', { class: 'list' }, list.el),
    );
    return () => list.reset();
  },
};
