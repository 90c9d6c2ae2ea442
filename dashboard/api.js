import { currentLocale } from './i18n.js';

/**
 * Answers of the documented API, typed from the response schemas the services validate them
 * with (and openapi.json is generated from), so the page cannot drift from them unnoticed.
 * @template {import('zod').ZodType} S
 * @typedef {import('zod').output<S>} Answer
 */
/** @typedef {Answer<typeof import('../services/platform/accounts/api/account-schemas.ts').LoginResponse>} LoginResponse */
/** @typedef {Answer<typeof import('../services/platform/accounts/api/account-schemas.ts').MeResponse>} MeResponse */
/** @typedef {MeResponse['user']} SignedInUser */
/** @typedef {Answer<typeof import('../services/edge/registry/api/device-schemas.ts').DeviceList>} DeviceList */
/** @typedef {DeviceList['devices'][number]} DeviceSummary */
/** @typedef {Answer<typeof import('../services/edge/registry/api/device-schemas.ts').DeviceDetail>} DeviceDetail */
/** @typedef {Answer<typeof import('../services/edge/registry/api/device-schemas.ts').FaultList>} FaultList */
/** @typedef {Answer<typeof import('../services/edge/registry/api/device-schemas.ts').TelemetrySeries>} TelemetrySeries */
/** @typedef {Answer<typeof import('../services/edge/registry/api/device-schemas.ts').EventList>} EventList */
/** @typedef {Answer<typeof import('../services/after-sales/diagnostics/api/diagnostics-schemas.ts').DecisionView>} DecisionView */
/** @typedef {Answer<typeof import('../services/edge/commands/api/command-schemas.ts').CommandView>} CommandView */
/** @typedef {Answer<typeof import('../services/after-sales/warranty/domain/warranty.ts').WarrantyAnswer>} WarrantyAnswer */
/** @typedef {Answer<typeof import('../services/after-sales/diagnostics/api/diagnostics-schemas.ts').CatalogView>} CatalogView */
/** @typedef {Answer<typeof import('../services/after-sales/rma/api/rma-schemas.ts').TicketView>} TicketView */
/** @typedef {Answer<typeof import('../services/after-sales/diagnostics/api/diagnostics-schemas.ts').CaseView>} CaseView */
/** @typedef {Answer<typeof import('../services/after-sales/diagnostics/api/diagnostics-schemas.ts').IncidentView>} IncidentView */
/** @typedef {Answer<typeof import('../services/remote-support/params/api/param-schemas.ts').SnapshotSummary>} SnapshotSummary */
/** @typedef {Answer<typeof import('../services/remote-support/params/api/param-schemas.ts').CreatedSnapshot>} CreatedSnapshot */
/** @typedef {Answer<typeof import('../services/remote-support/params/api/param-schemas.ts').SnapshotDetail>} SnapshotDetail */
/** @typedef {Answer<typeof import('../services/remote-support/params/api/param-schemas.ts').ParamDiffView>} ParamDiffView */
/** @typedef {Answer<typeof import('../services/remote-support/params/api/param-schemas.ts').LiveDiffView>} LiveDiffView */
/** @typedef {Answer<typeof import('../services/remote-support/params/api/param-schemas.ts').RestoreCheckView>} RestoreCheckView */
/** @typedef {Answer<typeof import('../services/remote-support/params/api/param-schemas.ts').RestoreReport>} RestoreReport */
/** @typedef {Answer<typeof import('../services/after-sales/diagnostics/api/diagnostics-schemas.ts').CaseDetailView>} CaseDetailView */
/** @typedef {Answer<typeof import('../services/after-sales/diagnostics/api/diagnostics-schemas.ts').IncidentDetailView>} IncidentDetailView */
/** @typedef {Answer<typeof import('../services/platform/audit/domain/audit-entry.ts').AuditEntry>} AuditLine */
/** @typedef {Answer<typeof import('../services/after-sales/platform-tickets/api/platform-schemas.ts').PlatformTicketView>} PlatformTicketView */
/** @typedef {Answer<typeof import('../services/remote-support/sessions/api/session-schemas.ts').SessionView>} SessionView */
/** @typedef {Answer<typeof import('../services/remote-support/sessions/api/session-schemas.ts').SessionDetail>} SessionDetail */
/** @typedef {Answer<typeof import('../services/remote-support/tunnels/domain/tunnel-view.ts').TunnelView>} TunnelView */
/** @typedef {Answer<typeof import('../services/remote-support/tunnels/api/tunnel-schemas.ts').OpenedTunnelView>} OpenedTunnelView */
/** @typedef {Answer<typeof import('../services/remote-support/sessions/api/session-schemas.ts').LinkView>} SessionLinkView */
/** @typedef {Answer<typeof import('../services/after-sales/organisations/api/organisation-schemas.ts').OrganisationList>} OrganisationList */
/** @typedef {OrganisationList['organisations'][number]} OrganisationView */
/** @typedef {Answer<typeof import('../services/after-sales/organisations/api/organisation-schemas.ts').OrganisationDetail>} OrganisationDetail */
/** @typedef {Answer<typeof import('../services/after-sales/organisations/api/organisation-schemas.ts').DeviceAssignmentResult>} DeviceAssignmentResult */
/** @typedef {Answer<typeof import('../services/after-sales/organisations/api/organisation-schemas.ts').InvitationCreated>} InvitationCreated */
/** @typedef {{ username: string, organisation: string, expiresAt: number }} InvitationView GET /api/invitations/{token} (platform/accounts/api/invitation-routes.ts) */
/** @typedef {Answer<typeof import('../services/after-sales/platform-tickets/api/portal-platform-schemas.ts').PortalPlatformTicket>} PortalPlatformTicket */
/** @typedef {Answer<typeof import('../services/after-sales/platform-tickets/api/portal-platform-schemas.ts').PortalPlatformPage>} PortalPlatformPage */
/** @typedef {Answer<typeof import('../services/after-sales/platform-tickets/api/portal-platform-schemas.ts').PortalFormDefaults>} PortalFormDefaults */
/** @typedef {Answer<typeof import('../services/remote-support/sessions/api/portal-session-schemas.ts').PortalSessionList>} PortalSessionList */
/** @typedef {Answer<typeof import('../services/remote-support/sessions/api/portal-session-schemas.ts').PortalJoinView>} PortalJoinView */
/** @typedef {Answer<typeof import('../services/after-sales/notifications/api/notification-schemas.ts').NotificationList>} NotificationList */
/** @typedef {NotificationList['notifications'][number]} NotificationView */
/** @typedef {Answer<typeof import('../services/after-sales/notifications/api/notification-schemas.ts').WebhookView>} WebhookView */
/** @typedef {Answer<typeof import('../services/after-sales/notifications/api/notification-schemas.ts').WebhookSaved>} WebhookSaved */
/** @typedef {Answer<typeof import('../services/after-sales/notifications/api/notification-schemas.ts').DeliveryList>} DeliveryList */
/** @typedef {DeliveryList['deliveries'][number]} DeliveryView */
/** @typedef {Answer<typeof import('../services/after-sales/portal/api/portal-schemas.ts').PortalDeviceList>} PortalDeviceList */
/** @typedef {PortalDeviceList['devices'][number]} PortalDevice */
/** @typedef {Answer<typeof import('../services/after-sales/portal/api/portal-schemas.ts').PortalDeviceDetail>} PortalDeviceDetail */
/** @typedef {Answer<typeof import('../services/after-sales/portal/api/portal-schemas.ts').PortalTicketList>} PortalTicketList */
/** @typedef {PortalTicketList['tickets'][number]} PortalTicketSummary */
/** @typedef {Answer<typeof import('../services/after-sales/portal/api/portal-schemas.ts').PortalTicket>} PortalTicket */

/**
 * An HTTP API error: `code` is the API's stable error code, `words` the server's `message` for
 * it in the page's language (null when the answer had none, e.g. a proxy's error page).
 */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {unknown} details
   * @param {string | null} [words]
   */
  constructor(status, code, details, words = null) {
    super(code);
    this.status = status;
    this.code = code;
    this.details = details;
    this.words = words;
  }
}

/**
 * Calls the backend's API. The login lives in the HttpOnly session cookie, which the browser
 * sends by itself on same-origin requests; the page never sees the token. The answer is the
 * route's response schema: callers name it with a JSDoc cast.
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [options]
 * @returns {Promise<unknown>}
 */
export async function api(path, options = {}) {
  return (await request(path, options)).data;
}

/**
 * One page of a list the server pages with `limit` and `cursor`. The next page's cursor comes
 * in the answer's `nextCursor` when the body is an object, or in the `X-Next-Cursor` header when
 * the body is the list itself (kept an array for older clients); null on the last page.
 * @param {string} path with its query, without `cursor`
 * @param {string | null} cursor
 * @returns {Promise<{ data: unknown, next: string | null }>}
 */
export async function apiPage(path, cursor) {
  const url = cursor === null ? path : `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
  const { data, headers } = await request(url);
  const inBody = /** @type {{ nextCursor?: unknown } | null} */ (data)?.nextCursor;
  const next = typeof inBody === 'string' ? inBody : headers.get('x-next-cursor');
  return { data, next: next || null };
}

/**
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} options
 */
async function request(path, { method = 'GET', body } = {}) {
  const res = await fetch(`/api${path}`, {
    method,
    credentials: 'same-origin',
    // The page's language, not the browser's: error messages come back in it.
    headers: { 'accept-language': currentLocale(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return { data: null, headers: res.headers };
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiError(
      res.status,
      data?.error ?? `HTTP_${res.status}`,
      data?.details ?? null,
      typeof data?.message === 'string' ? data.message : null,
    );
  }
  return { data, headers: res.headers };
}
