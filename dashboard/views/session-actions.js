import { api } from '../api.js';
import { data, h, tNodes } from '../dom.js';
import { formatDeadline, t } from '../i18n.js';
import { actionButton, copyableText, formDialog } from '../ui.js';

/*
 * What an engineer does to a session besides commands: start a queued one, invite the
 * customer with a one-time link, and end it with one of the three outcomes.
 */

/** @typedef {import('../api.js').SessionDetail} SessionDetail */
/** @typedef {import('../api.js').SessionLinkView} SessionLinkView */
/** @typedef {Omit<SessionDetail, 'timeline' | 'commands' | 'nextAfterSeq'>} SessionSnapshot */
/** @typedef {SessionDetail['outcome'] & string} Outcome */

/** @typedef {import('../i18n.js').MessageKey} MessageKey */
/** @type {{ outcome: Outcome, label: MessageKey, intro: MessageKey, submit: MessageKey, danger: boolean }[]} */
const ENDINGS = [
  {
    outcome: 'resolved-remotely',
    label: 'sessions.end.resolved.label',
    intro: 'sessions.end.resolved.intro',
    submit: 'sessions.end.resolved.submit',
    danger: false,
  },
  {
    outcome: 'escalated',
    label: 'sessions.end.escalated.label',
    intro: 'sessions.end.escalated.intro',
    submit: 'sessions.end.escalated.submit',
    danger: true,
  },
  {
    outcome: 'abandoned',
    label: 'sessions.end.abandoned.label',
    intro: 'sessions.end.abandoned.intro',
    submit: 'sessions.end.abandoned.submit',
    danger: true,
  },
];

/**
 * The customer link just created: its url to copy, and what it allows.
 * @param {SessionLinkView} link
 */
function linkBox(link) {
  const { row, status } = copyableText({ value: link.url, label: t('sessions.actions.customerLink'), inputId: 'customer-link-url' });
  return h(
    'div',
    { class: 'link-box' },
    row,
    status,
    h(
      'p',
      { class: 'muted' },
      tNodes('sessions.actions.linkAbout', {
        who: link.label === null ? t('sessions.actions.theCustomer') : data(link.label),
        expires: formatDeadline(link.expiresAt),
      }),
    ),
  );
}

/**
 * Start, customer link and endings for a session that is not over; nothing for an ended one.
 * @param {SessionSnapshot} session
 * @param {(session: SessionSnapshot) => void} changed the session as the API answered after a move
 */
export function sessionActions(session, changed) {
  if (session.state === 'ended') return null;
  const path = `/sessions/${session.id}`;
  const linkSlot = h('div', {});
  const start =
    session.state === 'queued'
      ? actionButton(
          t('sessions.actions.start'),
          async () => changed(/** @type {SessionDetail} */ (await api(`${path}/start`, { method: 'POST' }))),
          {
            busy: t('sessions.actions.starting'),
            testId: 'session-start',
          },
        )
      : null;
  const createLink = actionButton(
    t('sessions.actions.createLink'),
    () =>
      formDialog({
        title: t('sessions.actions.inviteTitle'),
        intro: t('sessions.actions.inviteIntro'),
        fields: [{ name: 'label', label: t('sessions.actions.linkFor'), hint: t('sessions.actions.linkForHint'), maxLength: 80 }],
        submit: t('sessions.actions.createLinkSubmit'),
        async onSubmit(values) {
          const body = values.label === undefined ? {} : { label: values.label };
          const link = /** @type {SessionLinkView} */ (await api(`${path}/links`, { method: 'POST', body }));
          linkSlot.replaceChildren(linkBox(link));
          return link;
        },
      }),
    { tone: 'secondary', testId: 'create-link' },
  );
  const endings = ENDINGS.filter((e) => session.state === 'active' || e.outcome === 'abandoned').map((e) =>
    actionButton(
      t(e.label),
      () =>
        formDialog({
          title: t('sessions.actions.confirmTitle', { label: t(e.label) }),
          intro: t(e.intro),
          fields: [{ name: 'reason', label: t('sessions.actions.reason'), type: 'textarea', required: true, maxLength: 2000 }],
          submit: t(e.submit),
          danger: e.danger,
          async onSubmit(values) {
            const ended = /** @type {SessionDetail} */ (
              await api(`${path}/outcome`, { method: 'POST', body: { outcome: e.outcome, reason: values.reason } })
            );
            changed(ended);
            return ended;
          },
        }),
      { tone: e.danger ? 'danger' : undefined, testId: `end-${e.outcome}` },
    ),
  );
  return h(
    'div',
    { class: 'session-actions' },
    h('div', { class: 'button-row' }, start, createLink),
    linkSlot,
    h('h3', {}, t('sessions.actions.endHeading')),
    h('div', { class: 'button-row' }, endings),
  );
}
