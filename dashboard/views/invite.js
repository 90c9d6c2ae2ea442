import { api, ApiError } from '../api.js';
import { signInWith } from '../app.js';
import { data, h, tNodes } from '../dom.js';
import { errorText } from '../error-words.js';
import { currentLocale, formatDeadline, t } from '../i18n.js';

/** @typedef {import('../api.js').InvitationView} InvitationView */

/**
 * Why a link cannot be used, in the words of the person holding it (the API's `reason`).
 * @type {Record<string, import('../i18n.js').MessageKey>}
 */
const REFUSAL_WORDS = {
  unknown: 'portal.invite.refusal.unknown',
  expired: 'portal.invite.refusal.expired',
  accepted: 'portal.invite.refusal.accepted',
};

const MIN_LENGTH = 12;

/** What zxcvbn's refusal says, as sentences. @type {Record<string, import('../i18n.js').MessageKey>} */
const WEAKNESS_WORDS = {
  'too-short': 'portal.invite.weak.too-short',
  'too-long': 'portal.invite.weak.too-long',
  guessable: 'portal.invite.weak.guessable',
};

/** @param {Record<string, import('../i18n.js').MessageKey>} words @param {unknown} reason */
const wordsFor = (words, reason) => {
  const key = words[String(reason)];
  return key ? t(key) : '';
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
    return [errorText(new ApiError(err.status, err.code, null)), wordsFor(REFUSAL_WORDS, d.reason)].join(' ').trim();
  }
  if (err.code === 'PASSWORD_TOO_WEAK') {
    // zxcvbn's own warning and suggestions are English only: a Chinese reader gets our reason.
    const english = currentLocale() === 'en';
    const hints = [
      wordsFor(WEAKNESS_WORDS, d.reason),
      english && typeof d.warning === 'string' && d.warning ? d.warning : '',
      ...(english && Array.isArray(d.suggestions) ? d.suggestions.filter((s) => typeof s === 'string') : []),
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
  const button = h('button', { type: 'submit' }, t('portal.invite.submit'));
  const form = h(
    'form',
    { class: 'card login invite', id: 'invite-form' },
    h('h1', {}, tNodes('portal.invite.welcome', { organisation: data(invitation.organisation) })),
    h(
      'p',
      { id: 'invite-who' },
      tNodes('portal.invite.who', {
        username: data(invitation.username),
        organisation: data(invitation.organisation),
        expires: formatDeadline(invitation.expiresAt),
      }),
    ),
    password('password', t('portal.invite.password'), 'invite-password'),
    password('repeat', t('portal.invite.repeat'), 'invite-repeat'),
    h('small', { class: 'muted' }, t('portal.invite.hint', { min: MIN_LENGTH })),
    error,
    button,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const data = new FormData(form);
    const chosen = String(data.get('password') ?? '');
    if (chosen !== String(data.get('repeat') ?? '')) {
      error.textContent = t('portal.invite.differ');
      return;
    }
    // The server's own rule (PASSWORD_MIN), said before asking it.
    if (chosen.length < MIN_LENGTH) {
      error.textContent = t('portal.invite.tooShort', { min: MIN_LENGTH });
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
  get title() {
    return t('portal.invite.title');
  },
  channels: [],
  mount(container, [token = '']) {
    container.append(h('div', { class: 'card login invite' }, h('p', { class: 'muted' }, t('portal.invite.loading'))));
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
            h('h1', {}, t('portal.invite.unusable')),
            h('p', { class: 'error', role: 'alert', id: 'invite-error' }, inviteErrorText(err)),
            h('a', { href: '#/' }, t('portal.invite.signIn')),
          ),
        );
      }
    };
  },
};
