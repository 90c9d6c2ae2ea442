import { defineRoute } from '../../../platform/http/index.ts';
import { requireDevice } from '../../../edge/registry/api/device-lookup.ts';
import { SerialParams } from '../../../edge/registry/api/device-schemas.ts';
import { computeWarranty, WarrantyAnswer } from '../domain/warranty.ts';
import { listRepairedParts } from '../store/sqlite-repaired-parts.ts';

export const warrantyRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/devices/:sn/warranty',
    summary: "The box's warranty today: from which date it counts (basis), until when, why, and each repaired part's own warranty",
    tag: 'after-sales',
    access: 'aftersales:read',
    params: SerialParams,
    response: WarrantyAnswer,
    errors: ['DEVICE_NOT_FOUND'],
    async handler({ params, deps }) {
      const device = await requireDevice(deps.registry, params.sn);
      // "Today" is the vendor's date (China), not the server's UTC date.
      const today = deps.afterSales.calendar.current().localDate(deps.clock());
      return computeWarranty(
        { receiptDate: device.receiptDate, saleDate: device.saleDate, repairedParts: await listRepairedParts(deps.db, device.id) },
        today,
      );
    },
  }),
];
