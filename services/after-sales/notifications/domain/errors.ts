/** Error codes of the notifications capability; the HTTP adapter maps them to status. */
export const NOTIFICATION_ERRORS = {
  // Also for another organisation's notification: its existence is not told.
  NOTIFICATION_NOT_FOUND: 'NOTIFICATION_NOT_FOUND',
  WEBHOOK_NOT_FOUND: 'WEBHOOK_NOT_FOUND',
  WEBHOOK_DELIVERY_NOT_FOUND: 'WEBHOOK_DELIVERY_NOT_FOUND',
  // Not http(s), or a target inside our own network (SSRF) without WEBHOOK_ALLOW_PRIVATE.
  WEBHOOK_URL_REFUSED: 'WEBHOOK_URL_REFUSED',
  // A delivered delivery is done; only pending or failed ones are tried again.
  WEBHOOK_DELIVERY_DELIVERED: 'WEBHOOK_DELIVERY_DELIVERED',
} as const;
export type NotificationErrorCode = keyof typeof NOTIFICATION_ERRORS;

declare module '../../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<NotificationErrorCode, true> {}
}
