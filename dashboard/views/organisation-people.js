import { api } from '../api.js';
import { data, h, table, tNodes, when } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, copyableText } from '../ui.js';

/** @typedef {import('../api.js').OrganisationDetail} OrganisationDetail */
/** @typedef {import('../api.js').InvitationCreated} InvitationCreated */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * When an invitation stops working, in words: "on 22/06/2025, 10:00:00 (in 7 days)".
 * @param {number} expiresAt
 * @param {number} now
 */
export function expiryWords(expiresAt, now) {
  const left = expiresAt - now;
  if (left <= 0) return t('orgs.expiry.expired', { time: when(expiresAt) });
  // Rounded: a link made a second ago for 7 days reads "in 7 days", not "in 6 days".
  const days = Math.round(left / DAY_MS);
  const hours = Math.round(left / HOUR_MS);
  const span = left >= DAY_MS ? t('orgs.span.days', { n: days }) : hours >= 1 ? t('orgs.span.hours', { n: hours }) : t('orgs.span.underAnHour');
  return t('orgs.expiry.in', { time: when(expiresAt), span });
}

/**
 * The one-time URL of a new invitation, shown once (the server keeps only its hash), with a
 * Copy button and when it stops working.
 * @param {InvitationCreated} invitation
 */
function invitationLink(invitation) {
  const { row, status } = copyableText({
    value: invitation.url,
    label: t('orgs.invite.linkLabel'),
    inputId: 'invitation-url',
    buttonId: 'copy-invitation',
    statusId: 'invitation-copied',
  });
  return h(
    'div',
    { class: 'link-box', id: 'invitation-link' },
    h('p', {}, tNodes('orgs.invite.sendLink', { username: data(invitation.username), expiry: expiryWords(invitation.expiresAt, Date.now()) })),
    row,
    status,
  );
}

/** The organisation's customer accounts and invitations not accepted yet. @param {OrganisationDetail} o */
export function peopleTables(o) {
  const now = Date.now();
  return [
    h('h3', {}, t('orgs.people.accounts')),
    table(
      [t('orgs.people.username'), t('orgs.people.status'), t('orgs.people.since')],
      o.users.map((u) => [
        h('span', { class: 'mono', translate: 'no' }, u.username),
        u.enabled ? t('orgs.people.canSignIn') : t('orgs.people.disabled'),
        when(u.createdAt),
      ]),
      t('orgs.people.noAccount'),
    ),
    h('h3', {}, t('orgs.people.pending')),
    table(
      [t('orgs.people.username'), t('orgs.people.invitedBy'), t('orgs.people.linkStops')],
      o.invitations.map((i) => [h('span', { class: 'mono', translate: 'no' }, i.username), data(i.createdBy), expiryWords(i.expiresAt, now)]),
      t('orgs.people.noInvitation'),
    ),
  ];
}

/**
 * The form inviting one of the customer's people: answers the one-time URL, shown below it.
 * `onInvited` runs after, e.g. to list the new invitation.
 * @param {{ organisationId: number, onInvited: () => void }} spec
 */
export function inviteForm({ organisationId, onInvited }) {
  const username = h('input', {
    id: 'invite-username',
    maxlength: 64,
    autocomplete: 'off',
    'aria-label': t('orgs.invite.usernameLabel'),
    placeholder: t('orgs.invite.usernamePlaceholder', { example: 'wang.fang' }),
  });
  const shown = h('div', {});
  const invite = actionButton(
    t('orgs.invite.button'),
    async () => {
      shown.replaceChildren();
      const invitation = /** @type {InvitationCreated} */ (
        await api(`/organisations/${organisationId}/invitations`, { method: 'POST', body: { username: username.value.trim() } })
      );
      username.value = '';
      shown.replaceChildren(invitationLink(invitation));
      onInvited();
    },
    { busy: t('orgs.invite.busy'), testId: 'invite' },
  );
  return h(
    'div',
    { class: 'invite-form' },
    h('h3', {}, t('orgs.invite.title')),
    h('p', { class: 'muted' }, t('orgs.invite.intro')),
    h('div', { class: 'link-row' }, username, invite),
    shown,
  );
}
