import { api } from '../api.js';
import { h, table, when } from '../dom.js';
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
  if (left <= 0) return `on ${when(expiresAt)} (expired)`;
  // Rounded: a link made a second ago for 7 days reads "in 7 days", not "in 6 days".
  const days = Math.round(left / DAY_MS);
  const hours = Math.round(left / HOUR_MS);
  const span =
    left >= DAY_MS ? (days === 1 ? '1 day' : `${days} days`) : hours >= 1 ? (hours === 1 ? '1 hour' : `${hours} hours`) : 'less than an hour';
  return `on ${when(expiresAt)} (in ${span})`;
}

/**
 * The one-time URL of a new invitation, shown once (the server keeps only its hash), with a
 * Copy button and when it stops working.
 * @param {InvitationCreated} invitation
 */
function invitationLink(invitation) {
  const { row, status } = copyableText({
    value: invitation.url,
    label: 'Invitation link',
    inputId: 'invitation-url',
    buttonId: 'copy-invitation',
    statusId: 'invitation-copied',
  });
  return h(
    'div',
    { class: 'link-box', id: 'invitation-link' },
    h(
      'p',
      {},
      `Send this link to ${invitation.username}. It is shown only now, works once, and stops working ${expiryWords(invitation.expiresAt, Date.now())}.`,
    ),
    row,
    status,
  );
}

/** The organisation's customer accounts and invitations not accepted yet. @param {OrganisationDetail} o */
export function peopleTables(o) {
  const now = Date.now();
  return [
    h('h3', {}, 'Accounts'),
    table(
      ['Username', 'Status', 'Since'],
      o.users.map((u) => [h('span', { class: 'mono' }, u.username), u.enabled ? 'can sign in' : 'disabled', when(u.createdAt)]),
      'No one of this customer has an account yet.',
    ),
    h('h3', {}, 'Invitations not accepted yet'),
    table(
      ['Username', 'Invited by', 'Link stops working'],
      o.invitations.map((i) => [h('span', { class: 'mono' }, i.username), i.createdBy, expiryWords(i.expiresAt, now)]),
      'No invitation is waiting.',
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
    'aria-label': 'Username to invite',
    placeholder: 'username, e.g. wang.fang',
  });
  const shown = h('div', {});
  const invite = actionButton(
    'Invite',
    async () => {
      shown.replaceChildren();
      const invitation = /** @type {InvitationCreated} */ (
        await api(`/organisations/${organisationId}/invitations`, { method: 'POST', body: { username: username.value.trim() } })
      );
      username.value = '';
      shown.replaceChildren(invitationLink(invitation));
      onInvited();
    },
    { busy: 'Inviting…', testId: 'invite' },
  );
  return h(
    'div',
    { class: 'invite-form' },
    h('h3', {}, 'Invite a person'),
    h('p', { class: 'muted' }, 'They get a link where they choose their own password; it works once, for 7 days.'),
    h('div', { class: 'link-row' }, username, invite),
    shown,
  );
}
