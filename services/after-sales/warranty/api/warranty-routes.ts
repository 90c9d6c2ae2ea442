import { routesFor } from '../../../kernel/route-definition.ts';
import type { Clock } from '../../../kernel/clock.ts';
import { chinaDate } from '../../../kernel/warranty-period.ts';
import { type DeviceRegistry, requireDevice, SerialParams } from '../../../edge/registry/index.ts';
import { computeWarranty, type RepairedPart, WarrantyAnswer, warrantyIn } from '../domain/warranty.ts';

/** What the warranty route needs. */
export interface WarrantyRouteDeps {
  clock: Clock;
  registry: DeviceRegistry;
  /** The parts replaced in repairs of this box, each with its own warranty. */
  repairedParts(deviceId: number): Promise<RepairedPart[]>;
}

const defineRoute = routesFor<WarrantyRouteDeps>();

export const warrantyRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/devices/:sn/warranty',
    summary: "The box's warranty today: from which date it counts (basis), until when, why, and each repaired part's own warranty",
    tag: 'after-sales',
    access: 'aftersales:read',
    params: SerialParams,
    localized: true,
    response: WarrantyAnswer,
    errors: ['DEVICE_NOT_FOUND'],
    async handler({ params, deps, locale }) {
      const device = await requireDevice(deps.registry, params.sn);
      // "Today" is the vendor's date (China), not the server's UTC date: the same day and the
      // same function (boxWarranty inside computeWarranty) as the device list and detail.
      const today = chinaDate(deps.clock());
      const warranty = computeWarranty(
        { receiptDate: device.receiptDate, saleDate: device.saleDate, repairedParts: await deps.repairedParts(device.id) },
        today,
      );
      return warrantyIn(warranty, locale);
    },
  }),
];
