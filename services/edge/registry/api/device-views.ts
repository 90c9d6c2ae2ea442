import { isoDate } from '../../../kernel/clock.ts';
import { emptyShadow, type Shadow } from '../../presence/index.ts';
import { warrantyStatus, type Device } from '../domain/device.ts';
import { warrantyEnd } from '../../../kernel/warranty-period.ts';

export function warrantyView(device: Device, now: number) {
  return {
    status: warrantyStatus(device.receiptDate, isoDate(now)),
    endsOn: device.receiptDate ? warrantyEnd(device.receiptDate) : null,
  };
}

/** A list row: registry data, warranty and whether the box is connected. */
export function deviceSummary(device: Device, now: number, online: boolean, shadow: Shadow | null) {
  return { ...device, warranty: warrantyView(device, now), presence: { online, lastSeen: shadow?.lastSeen ?? null } };
}

/** One box in full: registry data, warranty and its shadow. */
export function deviceDetail(device: Device, now: number, online: boolean, stored: Shadow | null) {
  const shadow = stored ?? emptyShadow(device.id);
  return {
    ...device,
    warranty: warrantyView(device, now),
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
