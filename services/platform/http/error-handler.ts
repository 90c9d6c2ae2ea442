import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import { AppError, type ErrorCode } from '../../kernel/app-error.ts';
import { type Locale, localeOfTag, negotiateLocale } from '../../kernel/locale.ts';
import { errorMessage } from './error-messages.ts';

/** The one mapping from error code to HTTP status. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  BAD_REQUEST: 400,
  CSV_MALFORMED: 400,
  IMPORT_INVALID: 400,
  INVALID_CREDENTIALS: 401,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CROSS_SITE_REQUEST: 403,
  NOT_FOUND: 404,
  DEVICE_NOT_FOUND: 404,
  DEVICE_EXISTS: 409,
  USER_EXISTS: 409,
  USER_NOT_FOUND: 404,
  PASSWORD_TOO_WEAK: 400,
  CURRENT_PASSWORD_INVALID: 403,
  CANNOT_RESET_OWN_PASSWORD: 403,
  CANNOT_DISABLE_SELF: 403,
  LAST_ENABLED_ADMIN: 409,
  INVITATION_INVALID: 404,
  ORGANISATION_NOT_FOUND: 404,
  ORGANISATION_EXISTS: 409,
  NOTIFICATION_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_DELIVERY_NOT_FOUND: 404,
  WEBHOOK_URL_REFUSED: 400,
  WEBHOOK_DELIVERY_DELIVERED: 409,
  PAYLOAD_TOO_LARGE: 413,
  IMPORT_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_ATTEMPTS: 429,
  RATE_LIMITED: 429,
  CASE_NOT_FOUND: 404,
  INCIDENT_NOT_FOUND: 404,
  CASE_INVALID_TRANSITION: 409,
  INCIDENT_INVALID_TRANSITION: 409,
  CALENDAR_INVALID: 400,
  RMA_NOT_FOUND: 404,
  RMA_INVALID_TRANSITION: 409,
  RMA_FORBIDDEN: 403,
  RMA_SCOPE_CLOSED: 409,
  RMA_ALREADY_OPEN: 409,
  RMA_PAYLOAD_INVALID: 400,
  RMA_PAYMENT_INSUFFICIENT: 409,
  RMA_WRONG_CHARGE_PATH: 409,
  RMA_FEEDBACK_PERIOD_OPEN: 409,
  RMA_STANDBY_OUTSTANDING: 409,
  RMA_STANDBY_INVALID: 409,
  RMA_DEADLINE_NOT_FOUND: 409,
  RMA_DEADLINE_NOT_DUE: 409,
  RMA_EXCLUSIONS_UNDECIDED: 409,
  RMA_RESTORE_PENDING: 409,
  RMA_RESTORE_NOT_NOW: 409,
  RMA_NO_BACKUP: 409,
  RMA_REMITTANCE_NOT_NOW: 409,
  EXCLUSION_NOT_SUGGESTED: 409,
  EXCLUSION_ALREADY_DECIDED: 409,
  EXCLUSION_ALREADY_LISTED: 409,
  DAMAGE_DEGREE_REQUIRED: 400,
  CHARGES_TOO_LARGE: 400,
  PLATFORM_TICKET_NOT_FOUND: 404,
  PLATFORM_TICKET_INVALID_TRANSITION: 409,
  PLATFORM_TICKET_FORBIDDEN: 403,
  PLATFORM_TICKET_PAYLOAD_INVALID: 400,
  PLATFORM_TICKET_DEADLINE_NOT_FOUND: 409,
  PLATFORM_TICKET_DEADLINE_NOT_DUE: 409,
  BACKUP_NOT_FOUND: 404,
  // The box did not give its parameters (offline, timed out, failed, or a broken answer).
  BACKUP_FAILED: 502,
  PARAMS_READ_FAILED: 502,
  RESTORE_INCOMPATIBLE: 409,
  RESTORE_IN_PROGRESS: 409,
  COMMAND_NOT_FOUND: 404,
  SESSION_REQUIRED: 403,
  BACKUP_BEFORE_CHANGE_FAILED: 409,
  SESSION_NOT_FOUND: 404,
  SESSION_INVALID_TRANSITION: 409,
  SESSION_ALREADY_OPEN: 409,
  SESSION_CASE_UNUSABLE: 409,
  SESSION_ENDED: 409,
  SESSION_NOT_STARTED: 409,
  TUNNEL_NOT_FOUND: 404,
  TUNNEL_REFUSED: 409,
  // The box, not this backend, failed to answer in time: a gateway timeout.
  TUNNEL_TIMEOUT: 504,
  TUNNEL_LIMIT: 409,
  TUNNEL_BOX_OFFLINE: 409,
  TUNNEL_STREAM_BUSY: 409,
  // The time-series server behind the telemetry history did not answer; this backend is fine.
  TELEMETRY_STORE_UNAVAILABLE: 503,
  NOT_READY: 503,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;

// body-parser reports its failures with a `type`; see body-parser/lib/read.js.
const BODY_PARSER_CODES: Record<string, ErrorCode> = {
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'entity.parse.failed': 'INVALID_JSON',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'request.aborted': 'BAD_REQUEST',
  'request.size.invalid': 'BAD_REQUEST',
};

interface BodyParserError {
  type: string;
  message: string;
  limit?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string';
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isBodyParserError(err)) {
    const code = BODY_PARSER_CODES[err.type];
    if (code === 'PAYLOAD_TOO_LARGE') return new AppError(code, { limitBytes: err.limit });
    if (code) return new AppError(code, { message: err.message });
  }
  // express and its router raise http-errors with a 4xx status for requests they cannot
  // read, e.g. a path parameter that is not valid percent-encoding.
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('BAD_REQUEST', { message: (err as Error).message });
  }
  return new AppError('INTERNAL');
}

/**
 * The language of an error's `message`: the request's `?lang=` when it names one we offer, else
 * its Accept-Language. A malformed `?lang=` must not stop the refusal being read, so it is
 * ignored here (the route's own validation names it).
 */
function requestLocale(req: Parameters<ErrorRequestHandler>[1]): Locale {
  const lang = req.query?.lang;
  return negotiateLocale({
    query: typeof lang === 'string' ? (localeOfTag(lang) ?? undefined) : undefined,
    acceptLanguage: req.headers['accept-language'],
  });
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const appError = toAppError(err);
    const status = ERROR_STATUS[appError.code];
    if (status >= 500) logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    // The response is already on the wire (e.g. a streamed body failed): all we can do is cut it.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    const retryAfterS = (appError.details as { retryAfterS?: unknown } | undefined)?.retryAfterS;
    if (status === 429 && typeof retryAfterS === 'number') res.setHeader('Retry-After', String(retryAfterS));
    res.status(status).json({ error: appError.code, message: errorMessage(appError.code, requestLocale(req)), details: appError.details ?? null });
  };
}

/** Anything under /api that no route answered: JSON, not express's HTML page. */
export const apiNotFound: RequestHandler = (req) => {
  throw new AppError('NOT_FOUND', { method: req.method, path: req.baseUrl + req.path });
};
