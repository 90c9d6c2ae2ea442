import { emptyShadow, type Shadow } from '../../presence/index.ts';
import type { Device } from '../domain/device.ts';
import type { Locale } from '../../../kernel/locale.ts';
import { boxWarranty, chinaDate, warrantyReasonText } from '../../../kernel/warranty-period.ts';

/**
 * The box's warranty on China's calendar date of `now`, by the same function as the warranty
 * endpoint and RMA tickets (receipt date, else the sale date, with the reason in `locale`).
 */
export function warrantyView(device: Device, now: number, locale: Locale) {
  const w = boxWarranty(device, chinaDate(now));
  return { status: w.status, endsOn: w.end, startsOn: w.start, basis: w.basis, reasons: w.reasons.map((r) => warrantyReasonText(r, locale)) };
}

/** A list row: registry data, warranty and whether the box is connected. */
export function deviceSummary(device: Device, now: number, online: boolean, shadow: Shadow | null, locale: Locale) {
  return { ...device, warranty: warrantyView(device, now, locale), presence: { online, lastSeen: shadow?.lastSeen ?? null } };
}

/** One box in full: registry data, warranty and its shadow. */
export function deviceDetail(device: Device, now: number, online: boolean, stored: Shadow | null, locale: Locale) {
  const shadow = stored ?? emptyShadow(device.id);
  return {
    ...device,
    warranty: warrantyView(device, now, locale),
    presence: {
      online,
      lastSeen: shadow.lastSeen,
      connectedAt: shadow.connectedAt,
      disconnectedAt: shadow.disconnectedAt,
      address: shadow.address,
      reportedFw: shadow.reportedFw,
      reportedModel: shadow.reportedModel,
    },
    metrics: { values: shadow.metrics, ts: shadow.metricsTs, receivedAt: shadow.metricsReceivedAt },
    rejected: shadow.rejected,
  };
}
