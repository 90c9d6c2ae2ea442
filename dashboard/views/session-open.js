import { ApiError, api } from '../api.js';
import { signedInUser } from '../app.js';
import { t } from '../i18n.js';
import { actionButton } from '../ui.js';

/** The console of a session. @param {number} id */
export const sessionHref = (id) => `#/sessions/${id}`;

/**
 * "Open remote session" for a box (from its device page, or from a remote case with its id):
 * opens the session and goes to its console. When the box already has an open session, the
 * API names it, and the button goes there instead. Null for roles that may not open sessions.
 * @param {string} serial
 * @param {number} [caseId]
 */
export function openSessionButton(serial, caseId) {
  if (!signedInUser().permissions.includes('sessions:write')) return null;
  return actionButton(
    t('sessions.open.button'),
    async () => {
      try {
        const session = /** @type {import('../api.js').SessionDetail} */ (
          await api('/sessions', { method: 'POST', body: caseId === undefined ? { serial } : { serial, caseId } })
        );
        location.hash = sessionHref(session.id);
      } catch (err) {
        const open =
          err instanceof ApiError && err.code === 'SESSION_ALREADY_OPEN' ? /** @type {{ sessionId?: unknown }} */ (err.details)?.sessionId : null;
        if (typeof open !== 'number') throw err;
        location.hash = sessionHref(open);
      }
    },
    { busy: t('sessions.open.busy'), testId: 'open-session' },
  );
}
