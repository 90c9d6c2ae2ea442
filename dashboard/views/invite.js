import { api, ApiError } from '../api.js';
import { signInWith } from '../app.js';
import { h, when } from '../dom.js';
import { errorText } from '../error-words.js';

/** @typedef {import('../api.js').InvitationView} InvitationView */

/** Why a link cannot be used, in the words of the person holding it (the API's `reason`). @type {Record<string, string>} */
const REFUSAL_WORDS = {
  unknown: 'This link is not one we sent; check that it was copied whole.',
  expired: 'The link has expired.',
  accepted: 'The link was used already: sign in with the password chosen then.',
};

const MIN_LENGTH = 12;

/** What zxcvbn's refusal says, as sentences. @type {Record<string, string>} */
const WEAKNESS_WORDS = {
  'too-short': 'It is too short.',
  'too-long': 'It is too long.',
  guessable: 'It would be too easy to guess.',
};

/**
 * A refusal in words. The invitation and password refusals carry details made for this page
 * (why the link is dead, zxcvbn's feedback); everything else as every page words it.
 * @param {unknown} err
 */
export function inviteErrorText(err) {
  if (!(err instanceof ApiError)) return errorText(err);
  const d = /** @type {{ reason?: unknown, warning?: unknown, suggestions?: unknown } | null} */ (err.details) ?? {};
  if (err.code === 'INVITATION_INVALID') {
    return [errorText(new ApiError(err.status, err.code, null)), REFUSAL_WORDS[String(d.reason)] ?? ''].join(' ').trim();
  }
  if (err.code === 'PASSWORD_TOO_WEAK') {
    const hints = [
      WEAKNESS_WORDS[String(d.reason)] ?? '',
      typeof d.warning === 'string' && d.warning ? d.warning : '',
      ...(Array.isArray(d.suggestions) ? d.suggestions.filter((s) => typeof s === 'string') : []),
    ];
    return [errorText(new ApiError(err.status, err.code, null)), ...hints].filter(Boolean).join(' ');
  }
  return errorText(err);
}

/**
 * The form choosing the password. On success the server has opened a session (cookie): the
 * app signs in with it and shows the portal.
 * @param {string} token
 * @param {InvitationView} invitation
 */
function passwordForm(token, invitation) {
  /** @param {string} name @param {string} label @param {string} id */
  const password = (name, label, id) =>
    h('label', {}, label, h('input', { name, id, type: 'password', autocomplete: 'new-password', required: true, maxlength: 256 }));
  const error = h('p', { class: 'error', id: 'invite-error', role: 'alert' });
  const button = h('button', { type: 'submit' }, 'Set password and sign in');
  const form = h(
    'form',
    { class: 'card login invite', id: 'invite-form' },
    h('h1', {}, `Welcome to ${invitation.organisation}'s portal`),
    h(
      'p',
      { id: 'invite-who' },
      `You are invited as ${invitation.username} to see ${invitation.organisation}'s boxes and repairs on MT-BOX Care. Choose your password; this link works once, until ${when(invitation.expiresAt)}.`,
    ),
    password('password', 'Password', 'invite-password'),
    password('repeat', 'Password again', 'invite-repeat'),
    h('small', { class: 'muted' }, 'At least 12 characters and hard to guess: a few unrelated words work well.'),
    error,
    button,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const data = new FormData(form);
    const chosen = String(data.get('password') ?? '');
    if (chosen !== String(data.get('repeat') ?? '')) {
      error.textContent = 'The two passwords differ; type the same one twice.';
      return;
    }
    // The server's own rule (PASSWORD_MIN), said before asking it.
    if (chosen.length < MIN_LENGTH) {
      error.textContent = `The password is too short: choose at least ${MIN_LENGTH} characters.`;
      return;
    }
    button.disabled = true;
    try {
      await api(`/invitations/${encodeURIComponent(token)}/accept`, { method: 'POST', body: { password: chosen } });
      const me = /** @type {import('../api.js').MeResponse} */ (await api('/auth/me'));
      // The portal's home, without a hashchange: the app renders once, signed in.
      history.replaceState(null, '', '#/portal');
      signInWith(me);
    } catch (err) {
      error.textContent = inviteErrorText(err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/**
 * The page an invitation URL opens, without signing in: who is invited to which
 * organisation, and the password they choose. A dead link says why.
 * @type {import('../app.js').View}
 */
export const inviteView = {
  title: 'Invitation',
  channels: [],
  mount(container, [token = '']) {
    container.append(h('div', { class: 'card login invite' }, h('p', { class: 'muted' }, 'Loading the invitation…')));
    return async () => {
      try {
        const invitation = /** @type {InvitationView} */ (await api(`/invitations/${encodeURIComponent(token)}`));
        container.replaceChildren(passwordForm(token, invitation));
        /** @type {HTMLInputElement} */ (container.querySelector('#invite-password')).focus();
      } catch (caught) {
        // A token of the wrong shape is refused by validation: to its holder it is an unknown link.
        const err =
          caught instanceof ApiError && caught.code === 'VALIDATION_FAILED' ? new ApiError(404, 'INVITATION_INVALID', { reason: 'unknown' }) : caught;
        container.replaceChildren(
          h(
            'div',
            { class: 'card login invite' },
            h('h1', {}, 'This invitation cannot be used'),
            h('p', { class: 'error', role: 'alert', id: 'invite-error' }, inviteErrorText(err)),
            h('a', { href: '#/' }, 'Sign in'),
          ),
        );
      }
    };
  },
};
