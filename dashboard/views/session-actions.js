import { api } from '../api.js';
import { h, when } from '../dom.js';
import { actionButton, copyableText, formDialog } from '../ui.js';

/*
 * What an engineer does to a session besides commands: start a queued one, invite the
 * customer with a one-time link, and end it with one of the three outcomes.
 */

/** @typedef {import('../api.js').SessionDetail} SessionDetail */
/** @typedef {import('../api.js').SessionLinkView} SessionLinkView */
/** @typedef {Omit<SessionDetail, 'timeline' | 'commands' | 'nextAfterSeq'>} SessionSnapshot */
/** @typedef {SessionDetail['outcome'] & string} Outcome */

/** @type {{ outcome: Outcome, label: string, intro: string, submit: string, danger: boolean }[]} */
const ENDINGS = [
  {
    outcome: 'resolved-remotely',
    label: 'Resolved remotely',
    intro: 'The problem is solved without sending the box in. The session ends and becomes read-only.',
    submit: 'End as resolved',
    danger: false,
  },
  {
    outcome: 'escalated',
    label: 'Escalate to RMA',
    intro: 'The box needs repair: an RMA ticket is opened with this timeline as its first note, and the session ends.',
    submit: 'Escalate to RMA',
    danger: true,
  },
  {
    outcome: 'abandoned',
    label: 'Abandon',
    intro: 'Nobody will work this session any more (the customer gave up or will call back). It ends without a result.',
    submit: 'Abandon',
    danger: true,
  },
];

/**
 * The customer link just created: its url to copy, and what it allows.
 * @param {SessionLinkView} link
 */
function linkBox(link) {
  const { row, status } = copyableText({ value: link.url, label: 'Customer link', inputId: 'customer-link-url' });
  return h(
    'div',
    { class: 'link-box' },
    row,
    status,
    h(
      'p',
      { class: 'muted' },
      `Send it to ${link.label ?? 'the customer'}. It opens in one browser only, must be opened before ${when(link.expiresAt)}, and lets them see the box and chat here — nothing else.`,
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
      ? actionButton('Start now', async () => changed(/** @type {SessionDetail} */ (await api(`${path}/start`, { method: 'POST' }))), {
          busy: 'Starting…',
          testId: 'session-start',
        })
      : null;
  const createLink = actionButton(
    'Create customer link',
    () =>
      formDialog({
        title: 'Invite the customer',
        intro: 'A one-time link to this session: the person at the box sees its state, the timeline and can chat.',
        fields: [{ name: 'label', label: 'Who it is for', hint: 'e.g. site electrician; shown beside their chat', maxLength: 80 }],
        submit: 'Create link',
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
      e.label,
      () =>
        formDialog({
          title: `${e.label}?`,
          intro: e.intro,
          fields: [{ name: 'reason', label: 'Reason', type: 'textarea', required: true, maxLength: 2000 }],
          submit: e.submit,
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
    h('h3', {}, 'End the session'),
    h('div', { class: 'button-row' }, endings),
  );
}
