import { ApiError } from './api.js';

/**
 * What each of the API's stable error codes means to the person who clicked, in words. Typed
 * against the kernel's registry of codes, so a new code without words fails the type check.
 * @type {Record<import('../services/kernel/app-error.ts').ErrorCode, string>}
 */
const WORDS = {
  VALIDATION_FAILED: 'Some of the input is not valid.',
  INVALID_JSON: 'The request could not be read.',
  BAD_REQUEST: 'The request could not be read.',
  CSV_MALFORMED: 'The CSV file could not be read.',
  IMPORT_INVALID: 'Some rows of the import are not valid; nothing was imported.',
  INVALID_CREDENTIALS: 'Wrong username or password.',
  INVITATION_INVALID:
    'This invitation link cannot be used: it is unknown, has expired or was used already. Ask your after-sales contact for a new one.',
  ORGANISATION_NOT_FOUND: 'No such customer organisation.',
  ORGANISATION_EXISTS: 'A customer organisation with this name exists already.',
  NOTIFICATION_NOT_FOUND: 'No such notification.',
  WEBHOOK_NOT_FOUND: 'No webhook is set up yet.',
  WEBHOOK_DELIVERY_NOT_FOUND: 'No such delivery.',
  WEBHOOK_URL_REFUSED: 'This address cannot receive notifications: use an http(s) address on the internet, without a user name or password in it.',
  WEBHOOK_DELIVERY_DELIVERED: 'This notification was delivered already.',
  UNAUTHENTICATED: 'You are signed out. Sign in again.',
  FORBIDDEN: 'Your role may not do this.',
  CROSS_SITE_REQUEST: 'The request came from another site and was refused.',
  NOT_FOUND: 'Not found.',
  DEVICE_NOT_FOUND: 'No box with this serial is registered.',
  DEVICE_EXISTS: 'A box with this serial is already registered.',
  USER_EXISTS: 'An account with this name already exists.',
  USER_NOT_FOUND: 'No such account.',
  PASSWORD_TOO_WEAK: 'The password is too weak.',
  CURRENT_PASSWORD_INVALID: 'The current password is wrong.',
  CANNOT_RESET_OWN_PASSWORD: 'Change your own password with your current one instead.',
  CANNOT_DISABLE_SELF: 'You cannot disable your own account.',
  LAST_ENABLED_ADMIN: 'This is the last enabled admin account.',
  PAYLOAD_TOO_LARGE: 'The request is too large.',
  IMPORT_TOO_LARGE: 'The import file is too large.',
  UNSUPPORTED_MEDIA_TYPE: 'The request is in a format the server does not read.',
  TOO_MANY_ATTEMPTS: 'Too many attempts; wait a moment and try again.',
  RATE_LIMITED: 'Too many requests; wait a moment and try again.',
  CASE_NOT_FOUND: 'No such case.',
  INCIDENT_NOT_FOUND: 'No such fleet incident.',
  CASE_INVALID_TRANSITION: 'The case cannot make this move in its current state.',
  INCIDENT_INVALID_TRANSITION: 'The incident cannot make this move in its current state.',
  CALENDAR_INVALID: 'The calendar is not valid.',
  RMA_NOT_FOUND: 'No such ticket.',
  RMA_INVALID_TRANSITION: 'The ticket cannot make this move in its current state.',
  RMA_FORBIDDEN: 'Your role may not make this move on a ticket.',
  RMA_SCOPE_CLOSED: 'The warranty scope is closed: the Repair Report has priced the repair.',
  RMA_ALREADY_OPEN: 'This box already has an open ticket.',
  RMA_PAYLOAD_INVALID: 'Some of the input is not valid for this move.',
  RMA_PAYMENT_INSUFFICIENT: 'The payments do not cover the total yet.',
  RMA_WRONG_CHARGE_PATH: 'This move does not fit the repair’s charges (free or paid).',
  RMA_FEEDBACK_PERIOD_OPEN: 'The customer’s feedback week has not passed yet.',
  RMA_STANDBY_OUTSTANDING: 'The standby unit has not come back yet.',
  RMA_STANDBY_INVALID: 'The standby unit cannot make this move now.',
  RMA_DEADLINE_NOT_FOUND: 'The ticket has no such deadline.',
  RMA_DEADLINE_NOT_DUE: 'The deadline has not passed yet.',
  RMA_EXCLUSIONS_UNDECIDED: 'Confirm or reject every suggested exclusion first.',
  RMA_RESTORE_PENDING: 'Restore the parameters, or waive the restore, before the box ships back.',
  RMA_RESTORE_NOT_NOW: 'Parameters can be restored only once the box is repaired.',
  RMA_NO_BACKUP: 'There is no parameter backup to restore.',
  RMA_REMITTANCE_NOT_NOW: 'A payment can be reported only while the repair awaits payment.',
  EXCLUSION_NOT_SUGGESTED: 'This exclusion was not suggested.',
  EXCLUSION_ALREADY_DECIDED: 'This exclusion was already decided.',
  EXCLUSION_ALREADY_LISTED: 'This exclusion is already listed.',
  DAMAGE_DEGREE_REQUIRED: 'Say how bad the damage is.',
  CHARGES_TOO_LARGE: 'The charges are too large.',
  PLATFORM_TICKET_NOT_FOUND: 'No such platform ticket.',
  PLATFORM_TICKET_INVALID_TRANSITION: 'The platform ticket cannot make this move in its current state.',
  PLATFORM_TICKET_FORBIDDEN: 'Your role may not make this move on a platform ticket.',
  PLATFORM_TICKET_PAYLOAD_INVALID: 'Some of the input is not valid for this move.',
  PLATFORM_TICKET_DEADLINE_NOT_FOUND: 'The platform ticket has no such deadline.',
  PLATFORM_TICKET_DEADLINE_NOT_DUE: 'The deadline has not passed yet.',
  BACKUP_NOT_FOUND: 'No such parameter backup.',
  BACKUP_FAILED: 'The box did not give its parameters (offline, timed out or a broken answer).',
  PARAMS_READ_FAILED: 'The box did not give its parameters (offline, timed out or a broken answer).',
  RESTORE_INCOMPATIBLE: 'This backup does not fit the box (model or firmware differ).',
  RESTORE_IN_PROGRESS: 'Another restore is running on this box.',
  COMMAND_NOT_FOUND: 'No such command.',
  SESSION_REQUIRED: 'Open a remote-guidance session on this box first.',
  BACKUP_BEFORE_CHANGE_FAILED: 'The backup before the change failed, so nothing was changed.',
  SESSION_NOT_FOUND: 'No such session.',
  SESSION_INVALID_TRANSITION: 'The session cannot do this in its current state.',
  SESSION_ALREADY_OPEN: 'This box already has an open session.',
  SESSION_CASE_UNUSABLE: 'This case cannot take a session.',
  SESSION_ENDED: 'The session has ended.',
  SESSION_NOT_STARTED: 'The session has not started yet.',
  TUNNEL_NOT_FOUND: 'That tunnel is not open any more.',
  TUNNEL_REFUSED: 'The box refused to open the tunnel.',
  TUNNEL_TIMEOUT: 'The box did not answer within 10 seconds. Check that it is online and try again.',
  TUNNEL_LIMIT: 'This session already has as many tunnels open as it may. Close one first.',
  TUNNEL_BOX_OFFLINE: 'The box is offline, so no tunnel can go through it.',
  TUNNEL_STREAM_BUSY: 'Another program is already connected to this tunnel.',
  INTERNAL: 'Something went wrong on the server. Try again; if it keeps failing, tell your admin.',
};

/**
 * @param {unknown} details
 * @returns {string}
 */
function detailWords(details) {
  if (Array.isArray(details)) {
    // Validation issues: `{ in, path, message }` each.
    return details
      .slice(0, 5)
      .map((/** @type {unknown} */ issue) => {
        const i = /** @type {{ path?: unknown, message?: unknown, field?: unknown, row?: unknown, errors?: unknown }} */ (issue ?? {});
        // A CSV import's refusal: each bad row with what is wrong in it.
        if (typeof i.row === 'number') return `row ${i.row}: ${detailWords(i.errors)}`;
        const where = typeof i.path === 'string' ? i.path : typeof i.field === 'string' ? i.field : '';
        const path = where !== '' ? `${where}: ` : '';
        return `${path}${String(i.message ?? '')}`;
      })
      .join('; ');
  }
  if (typeof details !== 'object' || details === null) return '';
  const d = /** @type {Record<string, unknown>} */ (details);
  if (Array.isArray(d.allowed)) return d.allowed.length === 0 ? 'No move is possible now.' : `Possible now: ${d.allowed.join(', ')}.`;
  if (typeof d.retryAfterS === 'number') return `Try again in ${d.retryAfterS} s.`;
  if (typeof d.message === 'string') return d.message;
  if (typeof d.reason === 'string') return d.reason;
  return '';
}

/**
 * A failure in words for the person who clicked: what it means, and what the server added
 * (which field, which moves are possible now). Never "INTERNAL (HTTP 500)" alone.
 * @param {unknown} err
 */
export function errorText(err) {
  if (err instanceof ApiError) {
    const words = /** @type {Record<string, string>} */ (WORDS)[err.code] ?? `The server refused (${err.code}).`;
    const more = detailWords(err.details);
    return more ? `${words} ${more}` : words;
  }
  if (err instanceof TypeError) return 'The server cannot be reached. Check the connection and try again.';
  return String(/** @type {{ message?: unknown } | null | undefined} */ (err)?.message ?? err);
}
